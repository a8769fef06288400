<?php
/**
 * phpMyAdmin 5.2 configuration -- dba-tools VM (https://dbadmin.corp.example.net/pma/)
 * Only the DBA team can reach this vhost (see nginx allow list); logins are
 * per-user MySQL accounts, the control user is only for the pmadb tables.
 */
declare(strict_types=1);

$cfg['blowfish_secret'] = 'Pm52-blowfish-Uq8Zr3Xk9Lw2Nd6Tc1Vy';

$i = 0;

/* Server 1: billing Galera cluster via the MaxScale read/write listener */
$i++;
$cfg['Servers'][$i]['verbose'] = 'billing-galera (rw)';
$cfg['Servers'][$i]['auth_type'] = 'cookie';
$cfg['Servers'][$i]['host'] = 'maxscale-billing.db.corp.example.net';
$cfg['Servers'][$i]['port'] = '4006';
$cfg['Servers'][$i]['compress'] = false;
$cfg['Servers'][$i]['AllowNoPassword'] = false;
$cfg['Servers'][$i]['ssl'] = true;
$cfg['Servers'][$i]['ssl_ca'] = '/etc/ssl/certs/corp-db-ca.pem';
$cfg['Servers'][$i]['hide_db'] = '^(information_schema|performance_schema|sys)$';
/* phpMyAdmin configuration storage lives on the tools DB, not on billing */
$cfg['Servers'][$i]['controlhost'] = '10.130.4.15';
$cfg['Servers'][$i]['controlport'] = '3306';
$cfg['Servers'][$i]['controluser'] = 'pma_control';
$cfg['Servers'][$i]['controlpass'] = 'Pm52-control-Ew71Ga';
$cfg['Servers'][$i]['pmadb'] = 'phpmyadmin';
$cfg['Servers'][$i]['bookmarktable'] = 'pma__bookmark';
$cfg['Servers'][$i]['relation'] = 'pma__relation';
$cfg['Servers'][$i]['history'] = 'pma__history';
$cfg['Servers'][$i]['AllowDeny']['order'] = 'deny,allow';
$cfg['Servers'][$i]['AllowDeny']['rules'] = [
    'deny root from all',
    'allow % from 10.130.0.0/16',
];

/* Server 2: reporting replica, IPv6 only segment */
$i++;
$cfg['Servers'][$i]['verbose'] = 'reporting replica (ro)';
$cfg['Servers'][$i]['auth_type'] = 'cookie';
$cfg['Servers'][$i]['host'] = '2001:db8:130::25';
$cfg['Servers'][$i]['port'] = '3307';
$cfg['Servers'][$i]['AllowNoPassword'] = false;

/* Server 3: the local socket, for emergencies */
$i++;
$cfg['Servers'][$i]['verbose'] = 'localhost (socket)';
$cfg['Servers'][$i]['auth_type'] = 'cookie';
$cfg['Servers'][$i]['host'] = 'localhost';
$cfg['Servers'][$i]['socket'] = '/run/mysqld/mysqld.sock';

$cfg['ServerDefault'] = 1;
$cfg['AllowArbitraryServer'] = false;
$cfg['PmaAbsoluteUri'] = 'https://dbadmin.corp.example.net/pma/';

/* hCaptcha on the login form */
$cfg['CaptchaApi'] = 'https://js.hcaptcha.com/1/api.js';
$cfg['CaptchaCsp'] = 'https://hcaptcha.com https://*.hcaptcha.com';
$cfg['CaptchaRequestParam'] = 'h-captcha';
$cfg['CaptchaResponseParam'] = 'h-captcha-response';
$cfg['CaptchaSiteVerifyURL'] = 'https://api.hcaptcha.com/siteverify';
$cfg['CaptchaLoginPublicKey'] = '7a1c2e34-5b6d-4f80-9a1b-c2d3e4f5a6b7';
$cfg['CaptchaLoginPrivateKey'] = 'Pm52-hcaptcha-0x9F3eA1cB7d';

$cfg['UploadDir'] = '/var/lib/phpmyadmin/upload';
$cfg['SaveDir'] = '/var/lib/phpmyadmin/save';
$cfg['TempDir'] = '/var/lib/phpmyadmin/tmp';
$cfg['VersionCheck'] = false;
$cfg['SendErrorReports'] = 'never';
$cfg['LoginCookieValidity'] = 3600;
