<?php
# /var/www/mantis/config/config_inc.php -- MantisBT 2.26 (tracker.corp.example.net)
# Only overrides live here; defaults are in config_defaults_inc.php.

# --- Database Configuration ---
$g_hostname               = 'db-mantis.corp.example.net:3306';
$g_db_type                = 'mysqli';
$g_database_name          = 'bugtracker';
$g_db_username            = 'mantis';
$g_db_password            = 'Mb-mysql-Lz95Tf3e';

$g_default_timezone       = 'Europe/Berlin';

# --- Security ---
$g_crypto_master_salt     = 'Mb-salt-Zl1Vb7Rq4Kw9Xs2Hn6Pd8Tg3Cy5Fm0Ja';

# --- Anonymous Access / Signup ---
$g_allow_signup           = OFF;
$g_allow_anonymous_login  = OFF;

# --- Paths ---
$g_path                   = 'https://tracker.corp.example.net/';
$g_absolute_path_default_upload_folder = '/srv/mantis/uploads/';
$g_file_upload_method     = DISK;

# --- Email Configuration ---
$g_phpMailer_method       = PHPMAILER_METHOD_SMTP;
$g_smtp_host              = 'smtp-out.corp.example.net';
$g_smtp_port              = 587;
$g_smtp_connection_mode   = 'tls';
$g_smtp_username          = 'mantis-mailer';
$g_smtp_password          = 'Mb-smtp-Gh26Wq';
$g_webmaster_email        = 'tracker-admin@corp.example.net';
$g_from_email             = 'noreply-tracker@corp.example.net';
$g_from_name              = 'Corp Issue Tracker';
$g_return_path_email      = 'bounces@corp.example.net';
$g_email_receive_own      = OFF;

# --- LDAP authentication ---
$g_login_method           = LDAP;
$g_ldap_server            = 'ldaps://ldap-ro.corp.example.net:636';
$g_ldap_root_dn           = 'ou=people,dc=corp,dc=example,dc=net';
$g_ldap_organization      = '(objectClass=inetOrgPerson)';
$g_ldap_uid_field         = 'uid';
$g_ldap_realname_field    = 'cn';
$g_ldap_bind_dn           = 'cn=mantis-bind,ou=services,dc=corp,dc=example,dc=net';
$g_ldap_bind_passwd       = 'Mb-ldap-Ue73Sy';
$g_ldap_protocol_version  = 3;
$g_use_ldap_email         = ON;
$g_use_ldap_realname      = ON;

# --- Misc ---
$g_window_title           = 'Corp Issue Tracker';
$g_logo_url               = '%default_home_page%';
$g_show_version           = OFF;
$g_enable_email_notification = ON;
