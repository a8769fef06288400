<?php
// Nextcloud config/config.php
$CONFIG = array (
  'instanceid' => 'oc8f3k2j1h0g',
  'passwordsalt' => 'Zx1YwVu2tS3rQp4',
  'trusted_domains' =>
  array (
    0 => 'cloud.example.org',
    1 => '10.80.0.15',
  ),
  'trusted_proxies' => array ( 0 => '10.80.0.2' ),
  'datadirectory' => '/var/www/nextcloud/data',
  'dbtype' => 'pgsql',
  'version' => '28.0.4.1',
  'overwrite.cli.url' => 'https://cloud.example.org',
  'overwriteprotocol' => 'https',
  'dbname' => 'nextcloud',
  'dbhost' => 'pg-nc.db.example.org:5433',
  'dbtableprefix' => 'oc_',
  'dbuser' => 'nextcloud',
  'memcache.local' => '\\OC\\Memcache\\APCu',
  'memcache.distributed' => '\\OC\\Memcache\\Redis',
  'redis' => array (
    'host' => '10.80.0.30',
    'port' => 6379,
    'timeout' => 1.5,
  ),
  'mail_smtpmode' => 'smtp',
  'mail_smtphost' => 'mail.example.org',
  'mail_smtpport' => '465',
  'mail_from_address' => 'nextcloud',
  'mail_domain' => 'example.org',
  'installed' => true,
  'maintenance' => false,
  'loglevel' => 2,
);
