<?php
/*
 +-------------------------------------------------------------------------+
 | Copyright (C) 2004-2024 The Cacti Group                                 |
 +-------------------------------------------------------------------------+
 | Cacti 1.2.27 - REMOTE DATA COLLECTOR cacti-rdc-lon (poller id 3)        |
 | Local DB holds the cached config; the main DB is on the central server  |
 +-------------------------------------------------------------------------+
*/

/*
 * Make sure these values reflect your actual database/host/user/password
 */
$database_type     = 'mysql';
$database_default  = 'cacti';
$database_hostname = 'localhost';
$database_username = 'cactiuser';
$database_password = 'Cacti-Local-Wq83Ne6t';
$database_port     = '3306';
$database_retries  = 5;
$database_ssl      = false;
$database_ssl_key  = '';
$database_ssl_cert = '';
$database_ssl_ca   = '';
$database_persist  = false;

/*
 * When the cacti server is a remote poller, then these entries point to
 * the main cacti server. Otherwise, these variables have no use and
 * must remain commented out.
 */
$rdatabase_type     = 'mysql';
$rdatabase_default  = 'cacti';
$rdatabase_hostname = 'cacti-main.corp.example.net';
$rdatabase_username = 'cacti_rdc';
$rdatabase_password = 'Cacti-Main-Dz46Ho9y';
$rdatabase_port     = '3307';
$rdatabase_retries  = 5;
$rdatabase_ssl      = true;
$rdatabase_ssl_key  = '/etc/cacti/tls/rdc-lon.key';
$rdatabase_ssl_cert = '/etc/cacti/tls/rdc-lon.crt';
$rdatabase_ssl_ca   = '/etc/pki/corp-root-ca.pem';

/*
 * The poller_id of this system. Set to `1` for the main cacti web server.
 * Otherwise, this value should be the poller_id of the remote poller.
 */
$poller_id = 3;

/*
 * Set the $url_path to point to the default URL of your cacti install.
 */
$url_path = '/cacti/';

/*
 * Default session name - session name must contain alpha characters
 */
$cacti_session_name = 'Cacti';

/*
 * Default Cookie domain - The cookie domain to be used for Cacti
 */
$cacti_cookie_domain = 'corp.example.net';

/*
 * Save sessions to a database for load balancing
 */
$cacti_db_session = false;

/*
 * Disable log rotation settings for packagers
 */
$disable_log_rotation = true;

/*
 * Allow the use of Proxy IPs when searching for client IP to be used
 */
$proxy_headers = array('HTTP_X_FORWARDED_FOR');

/*
 * Optional parameters to define scripts and resource paths.
 */
$path_csrf_secret = '/usr/share/cacti/resource/csrf-secret.php';
$input_whitelist = '/etc/cacti/input_whitelist.json';
