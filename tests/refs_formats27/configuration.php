<?php
class JConfig {
	/* Site Settings */
	public $offline = false;
	public $offline_message = 'This site is down for maintenance.<br>Please check back again soon.';
	public $display_offline_message = 1;
	public $sitename = 'Example Intranet';
	public $editor = 'tinymce';
	public $captcha = '0';
	public $list_limit = 20;
	public $access = 1;
	public $frontediting = 1;
	/* Database Settings */
	public $dbtype = 'mysqli';
	public $host = 'mysql-joomla.corp.example.net:3307';
	public $user = 'joomla_intranet';
	public $password = 'Jm30-intraDb-Rc75Gy';
	public $db = 'joomla_intranet';
	public $dbprefix = 'x7k2_';
	public $dbencryption = 1;
	public $dbsslverifyservercert = true;
	public $dbsslca = '/etc/ssl/certs/corp-root-ca.pem';
	/* Server Settings */
	public $live_site = 'https://intranet.example.com';
	public $secret = 'Jm30-siteSecret-Aw19Pe';
	public $gzip = true;
	public $error_reporting = 'default';
	public $helpurl = 'https://help.joomla.org/proxy?keyref=Help{major}{minor}:{keyref}&lang={langcode}';
	public $tmp_path = '/var/www/intranet/tmp';
	public $log_path = '/var/www/intranet/administrator/logs';
	public $force_ssl = 2;
	public $behind_loadbalancer = true;
	/* Proxy Settings (used for update checks and extension downloads) */
	public $proxy_enable = true;
	public $proxy_host = 'proxy.corp.example.net';
	public $proxy_port = '3128';
	public $proxy_user = 'joomla';
	public $proxy_pass = 'Px31-webProxy-Nd84Ka';
	/* Locale Settings */
	public $offset = 'Europe/Berlin';
	/* Mail Settings */
	public $mailonline = true;
	public $mailer = 'smtp';
	public $mailfrom = 'intranet@example.com';
	public $fromname = 'Example Intranet';
	public $sendmail = '/usr/sbin/sendmail';
	public $smtpauth = true;
	public $smtpuser = 'intranet-mailer';
	public $smtppass = 'Sm45-intraMail-Ue62Jo';
	public $smtphost = '10.8.1.25';
	public $smtpsecure = 'tls';
	public $smtpport = 587;
	/* Cache Settings */
	public $caching = 1;
	public $cache_handler = 'redis';
	public $cachetime = 15;
	public $cache_platformprefix = false;
	public $redis_persist = true;
	public $redis_server_host = 'redis-web.corp.example.net';
	public $redis_server_port = 6379;
	public $redis_server_auth = 'Rj77-intraRedis-Lb05Ct';
	public $redis_server_db = 0;
	public $memcached_server_host = 'localhost';
	public $memcached_server_port = 11211;
	/* Session Settings */
	public $session_handler = 'redis';
	public $session_redis_persist = 1;
	public $session_redis_server_host = '10.8.2.41';
	public $session_redis_server_port = 6379;
	public $session_redis_server_auth = 'Rj77-intraSess-Mq48Dz';
	public $session_redis_server_db = 1;
	public $lifetime = 30;
	public $shared_session = false;
	/* Metadata */
	public $MetaDesc = 'Internal portal of Example Corp';
	public $MetaRights = '';
	public $cookie_domain = '.example.com';
	public $cookie_path = '';
}
