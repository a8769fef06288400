<?php

/* Local configuration for Roundcube Webmail (webmail.example.com) */

// ----------------------------------
// SQL DATABASE
// ----------------------------------
// Database connection string (DSN) for read+write operations
// Format (compatible with PEAR MDB2): db_provider://user:password@host/database
// Currently supported db_providers: mysql, pgsql, sqlite, mssql, sqlsrv, oracle
// For examples see http://pear.php.net/manual/en/package.database.mdb2.intro-dsn.php
$config['db_dsnw'] = 'mysql://roundcube:Yoh7ieTh@db-mail.example.com/roundcubemail';
$config['db_dsnr'] = 'mysql://roundcube_ro:Yoh7ieTh@10.190.0.42:3307/roundcubemail';

// ----------------------------------
// IMAP
// ----------------------------------
$config['default_host'] = 'ssl://imap.example.com';
$config['default_port'] = 993;
$config['imap_auth_type'] = 'PLAIN';
$config['imap_cache'] = 'db';

// ----------------------------------
// SMTP
// ----------------------------------
$config['smtp_server'] = 'tls://smtp.example.com';
$config['smtp_port'] = 587;
$config['smtp_user'] = '%u';
$config['smtp_pass'] = '%p';
$config['smtp_helo_host'] = 'webmail.example.com';

// ----------------------------------
// SYSTEM
// ----------------------------------
$config['support_url'] = 'https://helpdesk.example.com/mail';
$config['product_name'] = 'Example Corp Webmail';
$config['des_key'] = 'rcmail-!24ByteDESkey*Str';
$config['username_domain'] = 'example.com';
$config['mail_domain'] = 'example.com';
$config['trusted_host_patterns'] = array('^webmail\.example\.com$');
$config['proxy_whitelist'] = array('10.190.0.5', '10.190.0.6');
$config['log_driver'] = 'syslog';
$config['session_storage'] = 'memcache';
$config['memcache_hosts'] = array('mc01.example.com:11211', '10.190.0.51:11211');

// ----------------------------------
// PLUGINS
// ----------------------------------
$config['plugins'] = array('archive', 'zipdownload', 'managesieve', 'password', 'newmail_notifier');

$config['managesieve_host'] = 'sieve.example.com';
$config['managesieve_port'] = 4190;
$config['managesieve_usetls'] = true;

$config['password_driver'] = 'ldap';
$config['password_ldap_host'] = 'ldap.example.com';
$config['password_ldap_port'] = '389';
$config['password_ldap_basedn'] = 'ou=people,dc=example,dc=com';

$config['spellcheck_engine'] = 'googie';
$config['spellcheck_uri'] = 'https://spell.example.net/tbproxy/spell?lang=';

// Global address book
$config['ldap_public']['corp'] = array(
  'name'          => 'Corporate Directory',
  'hosts'         => array('ldap1.example.com', 'ldap2.example.com'),
  'port'          => 636,
  'use_tls'       => false,
  'ldap_version'  => 3,
  'base_dn'       => 'ou=people,dc=example,dc=com',
  'bind_dn'       => 'cn=roundcube,ou=services,dc=example,dc=com',
  'bind_pass'     => 'Kai5Oofu',
  'search_fields' => array('mail', 'cn'),
  'fuzzy_search'  => true,
);

$config['address_book_type'] = 'sql';
$config['autocomplete_addressbooks'] = array('sql', 'corp');
