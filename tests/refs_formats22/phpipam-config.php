<?php

/**
 * phpIPAM config -- /var/www/phpipam/config.php on ipam01 (phpIPAM 1.6)
 * Deployed by Ansible role "phpipam"; local edits will be overwritten.
 */

/**
 * database connection details
 ******************************/
$db['host'] = 'mariadb-ipam.db.corp.example.net';
$db['user'] = 'phpipam';
$db['pass'] = 'Ipam-Maria-Prod-3357Ue';
$db['name'] = 'phpipam';
$db['port'] = 3307;

/**
 * Database webhost settings (used only by the web installer to create grants)
 ******************************/
$db['webhost'] = 'ipam01.corp.example.net';

/**
 *  SSL options for MySQL
 ******************************/
$db['ssl']        = true;
$db['ssl_ca']     = '/etc/pki/tls/certs/corp-db-ca.pem';
$db['ssl_verify'] = true;
// $db['ssl_key']    = '/path/to/cert.key';
// $db['ssl_cert']   = '/path/to/cert.crt';

$db['tmptable_engine_type'] = "InnoDB";
$db['use_cte'] = 1;

/**
 * Reverse proxy settings (F5 VIP in front of ipam01/ipam02)
 */
$trust_x_forwarded_headers = true;

# pingCheck / discoveryCheck cron scripts
$config['ping_check_send_mail']        = true;
$config['ping_check_method']           = 'fping';
$config['discovery_check_send_mail']   = false;
$config['discovery_check_method']      = 'fping';
$config['removed_addresses_send_mail'] = false;
$config['removed_addresses_timelimit'] = 86400 * 30;
$config['resolve_emptyonly']           = true;
$config['resolve_verbose']             = false;
$config['disable_main_login_form']     = false;

$debugging = false;
$api_allow_unsafe = false;
$phpsessname = "phpipam-prod";
$cookie_samesite = "Lax";
$session_storage = "database";

if(!defined('BASE'))
define('BASE', "/ipam/");

if(!defined('MCUNIQUE'))
define('MCUNIQUE', "section");

/**
 * proxy connection details (OpenStreetMap, version check)
 ******************************/
$proxy_enabled  = true;
$proxy_server   = '10.40.0.31';
$proxy_port     = '3128';
$proxy_user     = 'svc-phpipam';
$proxy_pass     = 'Ipam-Proxy-Auth-8894Nq';
$proxy_use_auth = true;

$offline_mode   = false;

$failed_access_message = 'phpipam: failed login for %u';

$config['logo_width']             = 220;
$config['requests_public']        = false;
$config['footer_message']         = "IPAM - questions to netops@corp.example.net (https://wiki.corp.example.net/netops/ipam)";
