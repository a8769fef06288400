<?php  // Moodle configuration file -- lms.example.org (Moodle 4.3)

unset($CFG);
global $CFG;
$CFG = new stdClass();

$CFG->dbtype    = 'pgsql';
$CFG->dblibrary = 'native';
$CFG->dbhost    = 'pg-lms.corp.example.net';
$CFG->dbname    = 'moodle';
$CFG->dbuser    = 'moodle';
$CFG->dbpass    = 'Tz5-moodle-Db7hQx2v';
$CFG->prefix    = 'mdl_';
$CFG->dboptions = array(
    'dbpersist' => 0,
    'dbport'    => '',
    'dbsocket'  => '',
    // reporting queries go to the streaming replica
    'readonly'  => [
        'instance' => [
            [
                'dbhost' => '10.150.0.22',
                'dbport' => 5433,
                'dbuser' => 'moodle_ro',
                'dbpass' => 'Tz5-moodle-Ro4kTz8n',
            ],
        ],
    ],
);
// $CFG->dbhost = 'mysql-old.corp.example.net';

$CFG->wwwroot   = 'https://lms.example.org';
$CFG->dataroot  = '/var/moodledata';
$CFG->admin     = 'admin';
$CFG->directorypermissions = 02777;
$CFG->sslproxy  = true;

// Sessions in Redis
$CFG->session_handler_class = '\core\session\redis';
$CFG->session_redis_host = '10.150.0.31';
$CFG->session_redis_port = 6379;
$CFG->session_redis_database = 2;
$CFG->session_redis_auth = 'Tz5-moodle-Rs6fWb1y';
$CFG->session_redis_prefix = 'mdlsess_';
$CFG->session_redis_acquire_lock_timeout = 120;

// Outgoing mail
$CFG->smtphosts      = 'smtp.example.org:587';
$CFG->smtpsecure     = 'tls';
$CFG->smtpuser       = 'lms-notify@example.org';
$CFG->smtppass       = 'Tz5-moodle-Sm9cLp3j';
$CFG->noreplyaddress = 'noreply@example.org';

// Outbound HTTP through the corporate proxy
$CFG->proxyhost   = 'proxy.corp.example.net';
$CFG->proxyport   = 3128;
$CFG->proxytype   = 'HTTP';
$CFG->proxybypass = 'localhost, 127.0.0.1, .corp.example.net';

// Plugin settings that must not be changed from the admin UI
$CFG->forced_plugin_settings = [
    'search_solr' => [
        'server_hostname' => 'solr.corp.example.net',
        'server_port'     => 8983,
        'indexname'       => 'moodle',
    ],
    'auth_ldap' => [
        'host_url' => 'ldaps://dc01.corp.example.net;ldaps://dc02.corp.example.net',
        'bind_dn'  => 'CN=svc-moodle,OU=Service,DC=corp,DC=example,DC=net',
        'bind_pw'  => 'Tz5-moodle-Ld5vAe7u',
        'contexts' => 'OU=Staff,DC=corp,DC=example,DC=net',
    ],
];

require_once(__DIR__ . '/lib/setup.php');
// There is no php closing tag in this file, it is intentional.
