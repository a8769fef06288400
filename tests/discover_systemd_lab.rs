//! `comeback discover` on real systemd hosts (nspawn) running Debian's own packages under their
//! own units: PostgreSQL with PgBouncer, MariaDB, memcached, Varnish, ZooKeeper (a Java daemon
//! run from its init script by systemd), rsyslog forwarding to a log host that was removed, and
//! a Python app whose config is on its command line. Every service is found, listening or not,
//! with its real config files, every true edge and no false one; the manager's own units are
//! left out by what the host says of them. One lab, booted once, checked for all of it.

mod lab;
mod output;

use comeback::plan;
use lab::Lab;
use output::{assert_has, exited};
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

const DB: usize = 0;
const APP: usize = 1;
const CACHE: usize = 2;

/// The app: serves HTTP/1.1 on :8000 (keep-alive, so Varnish keeps its backend connection)
/// and holds a connection to memcached, both as its config says.
const SHOP_PY: &str = r#"import configparser, http.server, socket, sys, threading, time
path = sys.argv[sys.argv.index("--config") + 1]
cfg = configparser.ConfigParser()
cfg.read(path)
host, port = cfg["shop"]["cache"].rsplit(":", 1)
def hold():
    while True:
        try:
            s = socket.create_connection((host, int(port)), timeout=5)
            while True:
                s.sendall(b"version\r\n")
                s.recv(100)
                time.sleep(5)
        except OSError:
            time.sleep(1)
threading.Thread(target=hold, daemon=True).start()
class Shop(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        body = b"shop\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("0.0.0.0", 8000), Shop).serve_forever()
"#;

const SHOP_CONF: &str = "[shop]\nlisten = 0.0.0.0:8000\n\
database_url = postgresql://shop:hunter2@db-01:6432/shop\n\
cache = cache-01:11211\nzookeeper = cache-01:2181\n\
# both moved away last year\nreports_db = old-db-02.lab.invalid:5432\nsearch_host = old-search-01.lab.invalid\n";

const SHOP_UNIT: &str = "[Unit]\nDescription=the shop app\nAfter=network.target\n[Service]\n\
EnvironmentFile=-/etc/default/shop\n\
ExecStart=/usr/bin/python3 /usr/local/lib/shop/shop.py --config /etc/shop/shop.conf\n";

/// The same names on every host; a nameserver that answers nothing, so removed names fail at
/// once and nothing leaves the lab.
fn names(lab: &Lab) -> String {
    format!(
        "printf '127.0.0.1 localhost\\n{} db-01\\n{} app-01\\n{} cache-01\\n' > /etc/hosts && rm -f /etc/resolv.conf && echo 'nameserver 127.0.0.1' > /etc/resolv.conf",
        lab.hosts[DB].address, lab.hosts[APP].address, lab.hosts[CACHE].address
    )
}

fn topology(lab: &Lab) {
    for i in 0..lab.hosts.len() {
        lab.exec(i, &names(lab));
    }

    // db-01: PostgreSQL (listening on its own address too: a listen line, not an edge) behind
    // PgBouncer.
    lab.exec(
        DB,
        &format!(
            "printf \"\\nlisten_addresses = 'localhost,{}'\\nshared_buffers = 16MB\\n\" >> /etc/postgresql/15/main/postgresql.conf && \
             printf '\\n[databases]\\nshop = host=127.0.0.1 port=5432 dbname=shop\\n' >> /etc/pgbouncer/pgbouncer.ini && \
             sed -i 's/^listen_addr = .*/listen_addr = */' /etc/pgbouncer/pgbouncer.ini && \
             systemctl start postgresql@15-main pgbouncer",
            lab.hosts[DB].address
        ),
    );
    // cache-01: memcached for everyone, a small MariaDB, ZooKeeper with a small heap.
    lab.exec(
        CACHE,
        "sed -i 's/^-l .*/-l 0.0.0.0/' /etc/memcached.conf && \
         printf '[mysqld]\\ninnodb_buffer_pool_size = 16M\\nperformance_schema = off\\n' > /etc/mysql/mariadb.conf.d/90-lab.cnf && \
         sed -i 's/^JAVA_OPTS=.*/JAVA_OPTS=\"-Xmx64m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1\"/' /etc/zookeeper/conf/environment && \
         systemctl start memcached mariadb zookeeper",
    );
    // app-01: the app, Varnish in front of it, rsyslog forwarding to the removed log host, and
    // the system bus (activated by its socket: systemd refuses to start it by hand).
    lab.exec(
        APP,
        &format!(
            "mkdir -p /usr/local/lib/shop /etc/shop && cat > /usr/local/lib/shop/shop.py <<'EOF'\n{SHOP_PY}EOF\n\
             cat > /etc/shop/shop.conf <<'EOF'\n{SHOP_CONF}EOF\n\
             echo 'SHOP_WORKERS=2' > /etc/default/shop && \
             printf 'vcl 4.1;\\n\\nbackend default {{\\n    .host = \"app-01\";\\n    .port = \"8000\";\\n}}\\n' > /etc/varnish/default.vcl && \
             printf '# the central log host, removed last spring\\n*.* @@old-log-01.lab.invalid:514\\n' > /etc/rsyslog.d/90-forward.conf && \
             systemctl start shop && systemctl start varnish rsyslog && busctl --system list >/dev/null"
        ),
    );
    let net = lab.net.as_ref().expect("a namespace lab");
    for (i, port) in [
        (DB, 5432),
        (DB, 6432),
        (APP, 8000),
        (APP, 6081),
        (CACHE, 11211),
        (CACHE, 2181),
    ] {
        net.wait_for_port(&lab.hosts[i].address, port);
    }
    // Through Varnish once: it keeps its backend connection to the app open.
    lab.exec(APP, "curl -sf -o /dev/null http://127.0.0.1:6081/");
    let memcached = format!("{}:11211", lab.hosts[CACHE].address);
    wait_until("the app holds its memcached connection", || {
        lab.exec(APP, "ss -Htn state established")
            .contains(&memcached)
    });
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "{what}: not within 20 s");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// service -> (unit, hosts, depends_on, configs) of a plan that passes validation.
type Shape = BTreeMap<String, (Vec<String>, BTreeSet<String>, BTreeSet<String>)>;

fn shape(path: &std::path::Path) -> Shape {
    let loaded = plan::load(path).unwrap_or_else(|e| panic!("{}", e.render()));
    let m = &loaded.model;
    m.services
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                (
                    s.instances
                        .iter()
                        .map(|i| m.hosts[i.host].name.clone())
                        .collect(),
                    s.depends_on
                        .iter()
                        .map(|&d| m.services[d].name.clone())
                        .collect(),
                    s.instances
                        .iter()
                        .flat_map(|i| i.configs.iter().cloned())
                        .collect(),
                ),
            )
        })
        .collect()
}

#[test]
fn discover_finds_every_service_of_real_debian_units_listening_or_not_and_no_false_edge() {
    let booted = Instant::now();
    let lab = Lab::start_systemd(3, &[("shop.service", SHOP_UNIT)]);
    let boot = booted.elapsed();
    topology(&lab);
    let ready = booted.elapsed();
    let root = lab.root.path();
    let skeleton = lab.plan_with("", "  {}\n");
    let draft = root.join("draft.yaml");
    let report = root.join("discovery.md");
    let started = Instant::now();
    let out = lab.run(
        "discover",
        &skeleton,
        &[
            "--out",
            draft.to_str().expect("utf8"),
            "--report",
            report.to_str().expect("utf8"),
        ],
    );
    let took = started.elapsed();
    let err = exited(&out, 0);
    let yaml = std::fs::read_to_string(&draft).expect("draft written");
    let md = std::fs::read_to_string(&report).expect("report written");
    eprintln!(
        "lab booted in {boot:?}, its daemons ready at {ready:?}, discover took {took:?}\n{err}"
    );
    if std::env::var_os("DISCOVER_SHOW").is_some() {
        eprintln!("{yaml}\n{md}");
    }
    let found = shape(&draft);
    let host = |i: usize| vec![lab.hosts[i].name.clone()];
    let set =
        |items: &[&str]| -> BTreeSet<String> { items.iter().map(|s| s.to_string()).collect() };

    // Every service of the lab, on its host, listening or not; nothing of the OS's own.
    let services: BTreeMap<&str, Vec<String>> = found
        .iter()
        .map(|(name, (hosts, _, _))| (name.as_str(), hosts.clone()))
        .collect();
    let expected: BTreeMap<&str, Vec<String>> = [
        ("mariadb", host(CACHE)),
        ("memcached", host(CACHE)),
        ("pgbouncer", host(DB)),
        ("postgresql-15-main", host(DB)),
        ("rsyslog", host(APP)),
        ("shop", host(APP)),
        ("varnish", host(APP)),
        ("zookeeper", host(CACHE)),
    ]
    .into_iter()
    .collect();
    assert_eq!(services, expected, "{yaml}\n{err}");
    assert_has(&yaml, "unit: postgresql@15-main\n");

    // Every true edge, and no other (no postgresql -> pgbouncer from `listen_addresses`).
    let edges: BTreeSet<(String, String)> = found
        .iter()
        .flat_map(|(from, (_, deps, _))| deps.iter().map(move |to| (from.clone(), to.clone())))
        .collect();
    let expected_edges: BTreeSet<(String, String)> = [
        ("pgbouncer", "postgresql-15-main"),
        ("shop", "memcached"),
        ("shop", "pgbouncer"),
        ("shop", "zookeeper"),
        ("varnish", "shop"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(edges, expected_edges, "{yaml}");
    assert_has(&err, "0 broken to undo a cycle");

    // Their real config files: from the command line, EnvironmentFile=, /etc/<unit>/.
    let configs = |s: &str| found[s].2.clone();
    assert_eq!(
        configs("shop"),
        set(&["/etc/default/shop", "/etc/shop/shop.conf"])
    );
    assert!(
        configs("postgresql-15-main").contains("/etc/postgresql/15/main/postgresql.conf"),
        "{yaml}"
    );
    assert!(
        configs("pgbouncer").contains("/etc/pgbouncer/pgbouncer.ini"),
        "{yaml}"
    );
    assert!(
        configs("varnish").contains("/etc/varnish/default.vcl"),
        "{yaml}"
    );
    assert!(
        !configs("varnish").iter().any(|c| c.contains("secret")),
        "varnish's secret is no config: {yaml}"
    );
    assert!(
        configs("rsyslog").contains("/etc/rsyslog.d/90-forward.conf")
            && configs("rsyslog").contains("/etc/rsyslog.conf"),
        "{yaml}"
    );
    assert!(
        configs("memcached").contains("/etc/memcached.conf"),
        "{yaml}"
    );
    assert!(
        configs("zookeeper").contains("/etc/zookeeper/conf/zoo.cfg"),
        "{yaml}"
    );
    assert!(
        configs("mariadb").contains("/etc/mysql/mariadb.conf.d/90-lab.cnf"),
        "{yaml}"
    );

    // All three stale references, each once; the password on the app's line is not printed.
    for needle in [
        "names old-db-02.lab.invalid",
        "names old-search-01.lab.invalid",
        "names old-log-01.lab.invalid",
    ] {
        assert_has(&yaml, needle);
    }
    assert_has(&err, "3 stale references");
    assert!(!yaml.contains("hunter2") && !md.contains("hunter2"));

    // The manager's own units are left out, each with the host's word for it.
    assert_has(&md, "## Running units left out as the OS's own");
    assert_has(
        &md,
        "| systemd-journald | its unit file ships with the service manager (package systemd) |",
    );
    assert_has(
        &md,
        "| dbus | the base OS's (package dbus, priority standard), and it talks to no other host |",
    );
    assert!(
        !yaml.contains("lab-sshd"),
        "our own sshd is no service: {yaml}"
    );

    // The draft passes `check`, and a dry run of it never calls a name that resolves to an
    // inventory host's address (db-01, cache-01, app-01; 127.0.0.1 is the host itself) "not in
    // the inventory".
    exited(
        &lab.comeback()
            .arg("check")
            .arg(&draft)
            .output()
            .expect("check"),
        0,
    );
    let dry = lab.run("run", &draft, &["--dry-run"]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&dry.stdout),
        String::from_utf8_lossy(&dry.stderr)
    );
    assert!(!text.contains("not in the inventory"), "{text}");
    // db-01:6432 and cache-01:2181, checked and answered.
    assert_has(&text, "shop@host-2 2 references ok");
    assert_has(&text, "pgbouncer@host-1 1 reference ok");
}
