<?php
## Have a look in misc/config_definitions.json for examples of settings you can set here. DO NOT EDIT misc/config_definitions.json!
## LibreNMS 24.x - poller nms-poll-02 (distributed polling, group 2)

### Database config
$config['db_host'] = 'mariadb-nms.corp.example.net';
$config['db_port'] = '3306';
$config['db_user'] = 'librenms';
$config['db_pass'] = 'Lnms-Db-Tw94Kc1z';
$config['db_name'] = 'librenms';
$config['db_socket'] = '';

// This is the user LibreNMS will run as
$config['user'] = 'librenms';

### This should *only* be set if you want to *force* a particular hostname/port
$config['base_url'] = 'https://nms.corp.example.net/';
$config['mydomain'] = 'corp.example.net';

### rrdcached on the central storage node (no local rrd writes on pollers)
$config['rrdcached'] = '10.55.0.20:42217';
$config['rrd_dir'] = '/opt/librenms/rrd';

### Distributed polling
$config['distributed_poller'] = true;
$config['distributed_poller_name'] = php_uname('n');
$config['distributed_poller_group'] = '2';
$config['distributed_poller_memcached_host'] = '10.55.0.21';
$config['distributed_poller_memcached_port'] = 11211;

### Default community / SNMPv3
$config['snmp']['community'] = array('Lnms-Snmp-Ro-Ga63Mv');
$config['snmp']['timeout'] = 2;
$config['snmp']['retries'] = 3;

### Authentication Model
$config['auth_mechanism'] = 'ldap';
$config['auth_ldap_server'] = 'ldap-ro.corp.example.net';
$config['auth_ldap_port'] = 636;
$config['auth_ldap_starttls'] = false;
$config['auth_ldap_prefix'] = 'uid=';
$config['auth_ldap_suffix'] = ',ou=People,dc=corp,dc=example,dc=net';
$config['auth_ldap_group'] = 'cn=netops,ou=Groups,dc=corp,dc=example,dc=net';
$config['auth_ldap_binduser'] = 'svc-librenms';
$config['auth_ldap_bindpassword'] = 'Lnms-Ldap-Ye28Pq5k';

### List of RFC1918 networks to allow scanning-based discovery
$config['nets'][] = '10.0.0.0/8';
$config['nets'][] = '172.16.0.0/12';
$config['autodiscovery']['xdp_exclude']['sysname_regexp'][] = '/^SEP[0-9A-F]{12}$/';

### Alerting mail
$config['email_backend'] = 'smtp';
$config['email_from'] = 'librenms@corp.example.net';
$config['email_smtp_host'] = 'smtp-relay.corp.example.net';
$config['email_smtp_port'] = 587;
$config['email_smtp_secure'] = 'tls';
$config['email_smtp_auth'] = true;
$config['email_smtp_username'] = 'librenms@corp.example.net';
$config['email_smtp_password'] = 'Lnms-Smtp-Fx37Rb0n';

### Metrics export to InfluxDB
$config['influxdb']['enable'] = true;
$config['influxdb']['transport'] = 'https';
$config['influxdb']['host'] = 'influx-nms.corp.example.net';
$config['influxdb']['port'] = '8086';
$config['influxdb']['db'] = 'librenms';
$config['influxdb']['username'] = 'librenms';
$config['influxdb']['password'] = 'Lnms-Influx-Ju75Wd2s';

### Oxidized integration (config backups)
$config['oxidized']['enabled'] = true;
$config['oxidized']['url'] = 'http://127.0.0.1:8888';

### Paths
$config['fping'] = '/usr/bin/fping';
$config['nagios_plugins'] = '/usr/lib/nagios/plugins';
