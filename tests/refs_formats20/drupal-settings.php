<?php

// phpcs:ignoreFile

/**
 * @file
 * Drupal 10.3 site-specific configuration: sites/default/settings.php
 * Site: www.example.com (prod). Deployed by the "web-drupal" pipeline.
 */

$databases['default']['default'] = [
  'database' => 'drupal_prod',
  'username' => 'drupal',
  'password' => 'Dr103-db-Wq65Ln',
  'prefix' => '',
  'host' => 'mysql-primary.corp.example.net',
  'port' => '3306',
  'isolation_level' => 'READ COMMITTED',
  'driver' => 'mysql',
  'namespace' => 'Drupal\\mysql\\Driver\\Database\\mysql',
  'autoload' => 'core/modules/mysql/src/Driver/Database/mysql/',
];

// Read replica used by views marked "replica safe".
$databases['default']['replica'][] = [
  'database' => 'drupal_prod',
  'username' => 'drupal_ro',
  'password' => 'Dr103-ro-Ek20Ma',
  'host' => '10.130.0.22',
  'port' => '3306',
  'driver' => 'mysql',
  'namespace' => 'Drupal\\mysql\\Driver\\Database\\mysql',
];
// Old replica, decommissioned:
// $databases['default']['replica'][] = ['host' => 'mysql-ro-old.corp.example.net', ...];

$settings['hash_salt'] = 'Dr103-salt-Hy49Gp';
$settings['update_free_access'] = FALSE;
$settings['config_sync_directory'] = '../config/sync';
$settings['file_private_path'] = '/var/www/private';

// Behind the HAProxy pair; these are the proxies we trust, not upstreams.
$settings['reverse_proxy'] = TRUE;
$settings['reverse_proxy_addresses'] = ['10.130.0.5', '10.130.0.6'];
$settings['trusted_host_patterns'] = [
  '^www\.example\.com$',
  '^example\.com$',
];

// Outbound HTTP (update checks, feeds, oEmbed) goes via the egress proxy.
$settings['http_client_config']['proxy'] = [
  'http' => 'http://egress-proxy.corp.example.net:3128',
  'https' => 'http://egress-proxy.corp.example.net:3128',
  'no_proxy' => ['127.0.0.1', 'localhost', '.corp.example.net'],
];

// Redis cache backend (drupal/redis module).
$settings['redis.connection']['interface'] = 'PhpRedis';
$settings['redis.connection']['host'] = 'redis-cache.corp.example.net';
$settings['redis.connection']['port'] = 6379;
$settings['redis.connection']['password'] = 'Dr103-redis-Sv87Ci';
$settings['cache']['default'] = 'cache.backend.redis';
$settings['container_yamls'][] = 'modules/contrib/redis/example.services.yml';

// Search API Solr server connector overrides.
$config['search_api.server.solr']['backend_config']['connector_config']['host'] = 'solr01.corp.example.net';
$config['search_api.server.solr']['backend_config']['connector_config']['port'] = '8983';
$config['search_api.server.solr']['backend_config']['connector_config']['core'] = 'drupal';

// SMTP module (drupal/smtp).
$config['smtp.settings']['smtp_on'] = TRUE;
$config['smtp.settings']['smtp_host'] = 'smtp.corp.example.net';
$config['smtp.settings']['smtp_port'] = '587';
$config['smtp.settings']['smtp_protocol'] = 'tls';
$config['smtp.settings']['smtp_username'] = 'drupal@example.com';
$config['smtp.settings']['smtp_password'] = 'Dr103-smtp-Oz14Rn';

$config['system.logging']['error_level'] = 'hide';
$settings['skip_permissions_hardening'] = FALSE;
