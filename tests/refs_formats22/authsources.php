<?php
// /etc/simplesamlphp/authsources.php -- sso.corp.example.net (SimpleSAMLphp 1.19)
// Changes go through the idm-config repo; do not edit on the host.

$config = [

    'admin' => [
        'core:AdminPassword',
    ],

    // SP used by the wiki and the helpdesk; IdP is the partner federation hub.
    'default-sp' => [
        'saml:SP',
        'entityID' => 'https://sso.corp.example.net/simplesaml/module.php/saml/sp/metadata.php/default-sp',
        'idp' => 'https://hub.federation.example.com/idp/shibboleth',
        'discoURL' => 'https://wayf.federation.example.com/DS/WAYF',
        'privatekey' => 'sso.corp.example.net.pem',
        'certificate' => 'sso.corp.example.net.crt',
        'NameIDPolicy' => 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    ],

    // Staff directory (two replicas behind the same DNS view)
    'corp-ldap' => [
        'ldap:LDAP',
        'hostname' => 'ldaps://ldap1.corp.example.net ldaps://ldap2.corp.example.net',
        'enable_tls' => false,
        'port' => 636,
        'timeout' => 5,
        'referrals' => false,
        'attributes' => ['uid', 'mail', 'cn', 'eduPersonAffiliation'],
        'dnpattern' => 'uid=%username%,ou=people,dc=corp,dc=example,dc=net',
        'search.enable' => true,
        'search.base' => 'ou=people,dc=corp,dc=example,dc=net',
        'search.attributes' => ['uid', 'mail'],
        'search.filter' => '(&(objectClass=inetOrgPerson)(!(employeeType=disabled)))',
        'search.username' => 'cn=ssp-bind,ou=services,dc=corp,dc=example,dc=net',
        'search.password' => 'Ssp-Ldap-Bind-4471kR',
        'priv.read' => false,
    ],

    // Contractors live in the HR database, not in LDAP
    'contractors-sql' => [
        'sqlauth:SQL',
        'dsn' => 'pgsql:host=pg-hr.corp.example.net;port=5433;dbname=contractors',
        'username' => 'ssp_ro',
        'password' => 'Ssp-Pg-Hr-2209vX',
        'query' => "SELECT uid, givenName, email FROM users WHERE uid = :username AND password = crypt(:password, password)",
    ],

    // Network admins log in with their RADIUS one-time passwords
    'netops-radius' => [
        'radius:Radius',
        'servers' => [
            ['hostname' => '10.20.5.18', 'port' => 1812, 'secret' => 'Rad-Ssp-Shared-8812mn'],
            ['hostname' => 'radius2.corp.example.net', 'port' => 1812, 'secret' => 'Rad-Ssp-Shared-9923pk'],
        ],
        'timeout' => 5,
        'retries' => 3,
        'realm' => 'netops.corp.example.net',
        'username_attribute' => 'eduPersonPrincipalName',
    ],

    // Old AD source, replaced by corp-ldap in 2023:
    // 'corp-ad' => ['ldap:LDAP', 'hostname' => 'ldap://dc01.ad.corp.example.net', 'port' => 389],
];
