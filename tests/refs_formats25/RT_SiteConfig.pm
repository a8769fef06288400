# /opt/rt5/etc/RT_SiteConfig.pm -- Request Tracker 5.0.5 (helpdesk)
# Check with: perl -c /opt/rt5/etc/RT_SiteConfig.pm
# Secrets come from the rt-secrets role; this copy is what is deployed.
use utf8;

Set($rtname, 'corp.example.net');
Set($Organization, 'helpdesk.corp.example.net');
Set($WebDomain, 'helpdesk.corp.example.net');
Set($WebPort, 443);
Set($WebPath, '');
Set($CanonicalizeRedirectURLs, 1);
Set(@ReferrerWhitelist, qw(intranet.corp.example.net:443 wiki.corp.example.net:443));
Set($Timezone, 'Europe/Berlin');

# --- Database -----------------------------------------------------------
Set($DatabaseType, 'Pg');
Set($DatabaseHost, 'pg-helpdesk.db.corp.example.net');
Set($DatabasePort, 5434);
Set($DatabaseName, 'rt5');
Set($DatabaseUser, 'rt_user');
Set($DatabasePassword, 'Rt505-pg-Zn82Kv');
# host RT connects *from*, only used by rt-setup-database for GRANTs
Set($DatabaseRTHost, 'rt-app01.corp.example.net');
Set(%FullTextSearch, Enable => 1, Indexed => 1, Table => 'AttachmentsIndex');

# --- Mail -----------------------------------------------------------------
Set($CorrespondAddress, 'helpdesk@example.com');
Set($CommentAddress, 'helpdesk-comment@example.com');
Set($OwnerEmail, 'rt-admins@corp.example.net');
Set($RTAddressRegexp, '^helpdesk(-comment)?\@(example\.com|corp\.example\.net)$');
Set($MailCommand, 'sendmailpipe');
Set($SendmailPath, '/usr/sbin/sendmail');
Set($SendmailArguments, '-oi -ODeliveryMode=b -OErrorMode=m');

# --- External authentication -------------------------------------------
Set($ExternalAuthPriority, ['Corp_AD', 'HR_DB']);
Set($ExternalInfoPriority, ['Corp_AD']);
Set($UserAutocreateDefaultsOnLogin, { Privileged => 0 });
Set($ExternalSettings, {
    'Corp_AD' => {
        'type'            => 'ldap',
        'server'          => 'ldaps://dc01.corp.example.net',
        'user'            => 'CN=svc-rt,OU=Service Accounts,DC=corp,DC=example,DC=net',
        'pass'            => 'Rt505-ldap-Wd40Cq',
        'base'            => 'OU=Staff,DC=corp,DC=example,DC=net',
        'filter'          => '(objectClass=person)',
        'd_filter'        => '(userAccountControl:1.2.840.113556.1.4.803:=2)',
        'tls'             => { verify => 'require', cafile => '/etc/ssl/certs/corp-root.pem' },
        'net_ldap_args'   => [ version => 3 ],
        'attr_match_list' => [ 'Name', 'EmailAddress' ],
        'attr_map'        => {
            'Name'         => 'sAMAccountName',
            'EmailAddress' => 'mail',
            'RealName'     => 'cn',
            'WorkPhone'    => 'telephoneNumber',
        },
    },
    'HR_DB' => {
        'type'            => 'db',
        'server'          => '10.150.7.33',
        'port'            => 3306,
        'database'        => 'hr_directory',
        'table'           => 'contractors',
        'user'            => 'rt_lookup',
        'pass'            => 'Rt505-hrdb-Ys17Mp',
        'dbi_driver'      => 'mysql',
        'u_field'         => 'login',
        'p_field'         => 'password_hash',
        'p_enc_pkg'       => 'Crypt::Eksblowfish::Bcrypt',
        'p_enc_sub'       => 'bcrypt',
    },
});
Plugin('RT::Authen::ExternalAuth');

1;
