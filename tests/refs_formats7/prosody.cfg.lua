-- Prosody Configuration File
--
-- Information on configuring Prosody can be found on our
-- website at https://prosody.im/doc/configure
--
-- Tip: You can check that the syntax of this file is correct
-- when you have finished by running this command:
--     prosodyctl check config

---------- Server-wide settings ----------
admins = { "admin@corp.example.net" }

plugin_paths = { "/usr/local/lib/prosody/modules" }

modules_enabled = {
	"roster"; "saslauth"; "tls"; "dialback"; "disco";
	"carbons"; "pep"; "private"; "blocklist"; "vcard4";
	"version"; "uptime"; "time"; "ping"; "register"; "mam";
	"admin_adhoc"; "turn_external";
}

allow_registration = false
c2s_require_encryption = true
s2s_require_encryption = true
s2s_secure_auth = false
pidfile = "/var/run/prosody/prosody.pid"

authentication = "ldap"
ldap_server = "ldap1.corp.example.net ldap2.corp.example.net"
ldap_rootdn = "cn=prosody,ou=svc,dc=corp,dc=example,dc=net"
ldap_password = "Ld4p-xmpp"
ldap_filter = "(uid=$user)"
ldap_base = "ou=people,dc=corp,dc=example,dc=net"
ldap_tls = true

storage = "sql"
sql = { driver = "PostgreSQL", database = "prosody", username = "prosody", password = "Pr0s0dy!", host = "10.140.0.30", port = 5432 }

-- Network
interfaces = { "10.140.0.5" }
c2s_ports = { 5222 }
s2s_ports = { 5269 }
http_interfaces = { "127.0.0.1" }
http_ports = { 5280 }
component_ports = { 5347 }
component_interfaces = { "10.140.0.5" }

-- TURN credentials handed to clients (coturn runs on turn.corp.example.net)
turn_external_host = "turn.corp.example.net"
turn_external_port = 3478
turn_external_secret = "c0turn-shared"

log = {
	info = "/var/log/prosody/prosody.log";
	error = "/var/log/prosody/prosody.err";
	{ levels = { "error" }; to = "syslog"; };
}

certificates = "certs"

----------- Virtual hosts -----------
VirtualHost "corp.example.net"
	ssl = {
		key = "/etc/prosody/certs/corp.example.net.key";
		certificate = "/etc/prosody/certs/corp.example.net.crt";
	}

------ Components ------
Component "conference.corp.example.net" "muc"
	modules_enabled = { "muc_mam" }
	restrict_room_creation = "local"

Component "proxy.corp.example.net" "proxy65"
	proxy65_address = "xmpp.corp.example.net"
	proxy65_acl = { "corp.example.net" }

-- external component (heisenbridge) connects to us on component_ports
Component "irc.corp.example.net"
	component_secret = "1rc-bridge-secret"
