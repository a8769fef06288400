//! Each form issue 26 named, one line each: the false strong references it reported (structure,
//! labels, keywords, mailboxes, access lists), the hosts it missed, the ports it dropped and the
//! listen addresses it took for servers.

use comeback::refs::{ScanOptions, scan};

/// `host[:port]` for each reference, with ` listen` and ` weak` where they apply.
fn found(text: &str) -> Vec<String> {
    scan(text, &ScanOptions::default())
        .iter()
        .map(comeback::refs::Reference::summary)
        .collect()
}

#[test]
fn structure_labels_keywords_mailboxes_and_access_lists_are_no_servers() {
    for text in [
        "[[inputs.cpu]]",
        "[[outputs.influxdb]]",
        "  [[inputs.snmp.field]]",
        "<Proxy \"balancer://shop\">",
        "ProxyPass \"/\" \"balancer://shop/\"",
        "master agentx",
        "proxy=y",
        "smtp_from_address = postmaster@example.com",
        "errors_to = postmaster@example.com",
        "restrict 10.0.0.0 mask 255.255.0.0 nomodify",
        "restrict 10.0.200.9 nomodify",
        "    \"10.0.18.0\"/24;",
        "    !\"10.0.18.99\";",
        "access-control: 10.0.60.66 refuse",
        "rocommunity monitor 10.0.210.9",
        "allow-transfer { 10.0.0.6; };",
        "shop.example.com {",
        "rule: \"Host(`shop.example.com`)\"",
        "local-data: \"printer.example.internal. IN A 10.0.60.40\"",
        "advertise_addr = \"10.0.100.7\"",
    ] {
        assert_eq!(found(text), Vec::<String>::new(), "{text}");
    }
    assert_eq!(
        found("key \"xfer\" {\n};\nprimaries { 10.0.0.5 key \"xfer\"; };"),
        ["10.0.0.5"]
    );
    assert_eq!(found("address ipv6 [fd00::1]:7789;"), ["fd00::1:7789"]);
    // A block of clients is skipped to its end, and what follows is read again.
    assert_eq!(
        found("acl \"trusted\" {\n  10.0.18.5;\n};\nforwarders { 10.0.0.2; };"),
        ["10.0.0.2"]
    );
}

#[test]
fn registries_and_jdbc_urls_of_every_common_driver() {
    assert_eq!(
        found("    image: registry.example:5000/app:1.4"),
        ["registry.example:5000"]
    );
    assert_eq!(
        found("url=jdbc:oracle:thin:@//db-scan:1521/SVC"),
        ["db-scan:1521"]
    );
    assert_eq!(
        found("url=jdbc:oracle:thin:@db-01:1522:ORCL"),
        ["db-01:1522"]
    );
    assert_eq!(
        found("url=jdbc:sqlserver://sql-01.example.com;databaseName=x"),
        ["sql-01.example.com:1433"]
    );
    assert_eq!(
        found("url=jdbc:postgresql://pg-1:5432,pg-2:5433/db?targetServerType=primary"),
        ["pg-1:5432", "pg-2:5433"]
    );
    assert_eq!(
        found("url=jdbc:mysql://10.0.0.30/stats"),
        ["10.0.0.30:3306"]
    );
}

#[test]
fn port_notations() {
    assert_eq!(
        found("route_list = * smtp.example.com::587"),
        ["smtp.example.com:587"]
    );
    assert_eq!(
        found("cache_peer proxy.example.com parent 3128 3130 default"),
        ["proxy.example.com:3128"]
    );
    assert_eq!(
        found("destination d { network(\"10.0.5.9\" port(514)); };"),
        ["10.0.5.9:514"]
    );
    assert_eq!(
        found("forward-addr: 10.0.0.53@853#dns.example.com"),
        ["10.0.0.53:853"]
    );
    assert_eq!(
        found("trap2sink udp:nms.example.com:162 public"),
        ["nms.example.com:162"]
    );
    assert_eq!(
        found("also-notify { 10.0.18.6 port 5353; };"),
        ["10.0.18.6:5353"]
    );
    // The word after a server, when it may be a port (not a weight or a count, `7`).
    assert_eq!(
        found("http-proxy proxy.example.net 3128 /etc/openvpn/proxy-auth.txt basic"),
        ["proxy.example.net:3128"]
    );
    assert_eq!(found("http-proxy 10.80.2.8 7 basic"), ["10.80.2.8"]);
}

#[test]
fn listen_addresses_in_each_spelling() {
    assert_eq!(found("http_port 10.0.9.5:8080"), ["10.0.9.5:8080 listen"]);
    assert_eq!(
        found("agentAddress udp:10.0.8.5:161"),
        ["10.0.8.5:161 listen"]
    );
    assert_eq!(
        found("    control-interface: 10.0.60.5"),
        ["10.0.60.5 listen"]
    );
    assert_eq!(
        found("ports:\n  - \"10.0.0.5:9010:9010\"\n  - \"127.0.0.1:9011:9011\""),
        ["10.0.0.5:9010 listen"]
    );
    assert_eq!(
        found(
            "listeners:\n- address:\n    socket_address:\n      address: 10.0.40.5\n      port_value: 10000"
        ),
        ["10.0.40.5:10000 listen"]
    );
}

/// Issue 21's point 8: a Varnish backend's `.port` is on the line after its `.host`, and the
/// reference's text is its whole statement, not cut where the host ends.
#[test]
fn a_varnish_backend_gets_its_port_and_its_whole_line() {
    let vcl =
        "vcl 4.1;\nbackend default {\n    .host = \"old-app-02.lab\";\n    .port = \"8080\";\n}\n";
    let found = comeback::refs::scan(vcl, &comeback::refs::ScanOptions::default());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].host, "old-app-02.lab");
    assert_eq!(found[0].port, Some(8080));
    assert_eq!(found[0].text, "host = \"old-app-02.lab\";");
}
