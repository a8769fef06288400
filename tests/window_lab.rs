//! End-to-end tests of the maintenance window over real SSH against the test lab: `before` and
//! `after` hooks (on another host, failing, a step failing between them), the shipped HAProxy
//! plan draining and re-enabling real HAProxy servers while a client loop counts responses,
//! webhooks posted to a real local HTTP receiver, the canary, the pause, step mode under a
//! pseudo-terminal, and the ETA from earlier runs.

mod lab;
mod output;

use lab::Lab;
use output::{assert_has, exited};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const DEFAULTS: &str = "defaults:\n  health: { timeout: 10s, interval: 100ms, settle: 300ms }\n";

/// web on host-2 and host-3; hooks append to host-1's `hooks.log` (host-1 plays the LB).
fn hooked(lab: &Lab, before: &str, after: &str) -> PathBuf {
    lab.service(1, "web", 7100, "");
    lab.service(2, "web", 7100, "");
    let log = lab.hosts[0].dir.join("hooks.log");
    let services = format!(
        r#"  web:
    hosts: [host-2, host-3]
    restart: "{{vars.dir}}/bin/restart web"
    health: [{{ http: "http://{{address}}:7100/health" }}]
    impact: One web server fewer.
    runbook: |
      Read web.out on the host.
    before:
      - {{ on: host-1, run: "echo \"$(date +%s.%N) drain {{host}}\" >> {log}" }}
      - "{before}"
    after:
      - {{ on: host-1, run: "{after} && echo \"$(date +%s.%N) ready {{host}}\" >> {log}", timeout: 5s }}
"#,
        log = log.display()
    );
    lab.plan_with(DEFAULTS, &services)
}

/// `(timestamp, what, host)` lines the hooks wrote on host-1.
fn hook_log(lab: &Lab) -> Vec<(f64, String, String)> {
    std::fs::read_to_string(lab.hosts[0].dir.join("hooks.log"))
        .unwrap_or_default()
        .lines()
        .map(|l| {
            let p: Vec<&str> = l.split_whitespace().collect();
            (
                p[0].parse().expect("ts"),
                p[1].to_string(),
                p[2].to_string(),
            )
        })
        .collect()
}

fn events_named(lab: &Lab, name: &str) -> Vec<serde_json::Value> {
    lab.journal()
        .into_iter()
        .filter(|e| e["event"] == name)
        .collect()
}

#[test]
fn hooks_drain_on_another_host_before_each_restart_and_put_it_back_after() {
    let lab = Lab::start(3);
    let plan = hooked(&lab, "true", "true");
    let err = exited(&lab.run("run", &plan, &["--yes"]), 0);
    let hooks = hook_log(&lab);
    let restarts = lab.restarts();
    let what: Vec<String> = hooks.iter().map(|(_, w, h)| format!("{w} {h}")).collect();
    assert_eq!(
        what,
        [
            "drain host-2",
            "ready host-2",
            "drain host-3",
            "ready host-3"
        ]
    );
    // Each drain comes before its host's restart, each ready after it.
    for (n, (start, end, host, _)) in restarts.iter().enumerate() {
        assert_eq!(*host, n + 1);
        assert!(
            hooks[2 * n].0 < *start && hooks[2 * n + 1].0 > *end,
            "{hooks:?} {restarts:?}"
        );
    }
    assert_has(&err, "before hook on host-1 ok");
    assert_has(&err, "after hook on host-1 ok");
    let ran = events_named(&lab, "hook_ran");
    assert_eq!(
        ran.len(),
        6,
        "two before and one after hook per step: {ran:?}"
    );
    assert!(ran.iter().all(|e| e["ok"] == true));
    let report = std::fs::read_to_string(lab.last_run().join("report.md")).expect("report");
    assert_has(&report, "## Hooks");
    assert_has(&report, "| web@host-2 | before | host-1 |");
}

#[test]
fn a_failing_before_hook_restarts_nothing_and_says_the_node_is_still_drained() {
    let lab = Lab::start(3);
    let plan = hooked(&lab, "echo cron still running >&2; exit 4", "true");
    let err = exited(&lab.run("run", &plan, &["--yes"]), 1);
    assert_eq!(lab.restart_ids(), Vec::<String>::new(), "nothing restarted");
    for expected in [
        "FAILED in before hooks",
        "the before hook exited 4: cron still running",
        "STILL DRAINED",
        "on host-1: true && echo \"$(date +%s.%N) ready host-2\"",
        "HALTED at step 1",
    ] {
        assert_has(&err, expected);
    }
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(lab.last_run().join("report.json")).expect("report"),
    )
    .expect("json");
    assert_eq!(json["steps"][0]["hooks"][1]["ok"], false);
    assert_eq!(json["steps"][0]["hooks"][1]["code"], 4);
    assert_eq!(json["steps"][0]["hooks_pending"][0][0], "host-1");
}

#[test]
fn a_step_failing_between_the_hooks_leaves_the_node_drained_and_resume_drains_again() {
    let lab = Lab::start(3);
    let plan = hooked(&lab, "true", "true");
    let good = std::fs::read_to_string(&plan).expect("plan");
    std::fs::write(
        &plan,
        good.replace(
            "restart: \"{vars.dir}/bin/restart web\"",
            "restart: \"echo 'Job for web.service failed' >&2; exit 1\"",
        ),
    )
    .expect("plan");
    let err = exited(&lab.run("run", &plan, &["--yes"]), 1);
    assert_has(&err, "FAILED in restart");
    assert_has(&err, "the node is STILL DRAINED");
    assert_has(&err, "on host-1: true && echo");
    let what: Vec<String> = hook_log(&lab)
        .iter()
        .map(|(_, w, h)| format!("{w} {h}"))
        .collect();
    assert_eq!(what, ["drain host-2"], "the after hook did not run");
    let pending = events_named(&lab, "hooks_pending");
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0]["step"], "web@host-2");

    // Fixed: resume runs the failed step again in full, its before hooks first.
    std::fs::write(&plan, good).expect("plan");
    let out = lab
        .comeback()
        .args(["resume", "--yes", "--plan"])
        .arg(&plan)
        .output()
        .expect("resume");
    exited(&out, 0);
    let what: Vec<String> = hook_log(&lab)
        .iter()
        .map(|(_, w, h)| format!("{w} {h}"))
        .collect();
    assert_eq!(
        what,
        [
            "drain host-2",
            "drain host-2",
            "ready host-2",
            "drain host-3",
            "ready host-3"
        ]
    );
}

#[test]
fn a_failing_after_hook_halts_with_the_command_still_to_run() {
    let lab = Lab::start(3);
    let plan = hooked(&lab, "true", "echo 'No such server.' >&2; false");
    let err = exited(&lab.run("run", &plan, &["--yes"]), 1);
    assert_eq!(
        lab.restart_ids(),
        ["web@host-2"],
        "the restart itself passed"
    );
    assert_has(&err, "FAILED in after hooks");
    assert_has(&err, "No such server.");
    assert_has(&err, "STILL DRAINED");
    assert_has(&err, "on host-1: echo 'No such server.' >&2; false && echo");
}

#[test]
fn a_dry_run_checks_that_every_hook_host_answers() {
    let lab = Lab::start(3);
    let plan = hooked(&lab, "true", "true");
    let err = exited(&lab.run("run", &plan, &["--dry-run"]), 0);
    assert_has(&err, "dry run: all 2 steps are ready");
    assert!(hook_log(&lab).is_empty(), "a dry run runs no hook");
    lab.freeze(0, true);
    let err = exited(&lab.run("run", &plan, &["--dry-run"]), 1);
    lab.freeze(0, false);
    assert_has(&err, "hook host host-1");
    assert_has(&err, "would not pass preflight: web@host-2, web@host-3");
}

// ---------------------------------------------------------------------------------------------
// HAProxy

/// A real HAProxy on host-1's address, with its admin socket in host-1's folder, balancing
/// `web` over the demo services on the other hosts (server names = host names). `retries 0`:
/// a request sent to a server in its restart fails instead of being retried, so what keeps
/// requests succeeding is the drain, not HAProxy's retries.
struct Haproxy {
    child: Child,
    socket: PathBuf,
}

impl Haproxy {
    fn start(lab: &Lab, port: u16, web_port: u16) -> Haproxy {
        let dir = &lab.hosts[0].dir;
        let socket = dir.join("haproxy.sock");
        let mut config = format!(
            "global\n  stats socket {} level admin mode 600\n  pidfile {}/haproxy.pid\n\
             defaults\n  mode http\n  retries 0\n  timeout connect 2s\n  timeout client 10s\n  timeout server 10s\n\
             frontend fe\n  bind {}:{port}\n  default_backend web\n\
             backend web\n  balance roundrobin\n  option httpchk GET /health\n",
            socket.display(),
            dir.display(),
            lab.hosts[0].address
        );
        for h in &lab.hosts[1..] {
            config.push_str(&format!(
                "  server {} {}:{web_port} check inter 100ms fall 2 rise 2\n",
                h.name, h.address
            ));
        }
        let path = dir.join("haproxy.cfg");
        std::fs::write(&path, config).expect("haproxy.cfg");
        let log = std::fs::File::create(dir.join("haproxy.log")).expect("log");
        // /usr/sbin is not on every user's PATH.
        let binary = ["/usr/sbin/haproxy", "/usr/local/sbin/haproxy"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .unwrap_or("haproxy");
        let child = Command::new(binary)
            .arg("-f")
            .arg(&path)
            .arg("-db")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("haproxy is installed (scripts/test installs it)");
        let hp = Haproxy { child, socket };
        let deadline = Instant::now() + Duration::from_secs(10);
        while server_states(&hp.socket)
            .iter()
            .filter(|(_, s)| s == "UP")
            .count()
            < lab.hosts.len() - 1
        {
            assert!(Instant::now() < deadline, "haproxy servers never came UP");
            std::thread::sleep(Duration::from_millis(50));
        }
        hp
    }
}

/// `(server, status)` of the `web` backend, from `show stat` on HAProxy's admin socket.
fn server_states(socket: &Path) -> Vec<(String, String)> {
    let Ok(mut stream) = std::os::unix::net::UnixStream::connect(socket) else {
        return Vec::new();
    };
    let _ = stream.write_all(b"show stat\n");
    let mut text = String::new();
    let _ = stream.read_to_string(&mut text);
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f.len() > 17 && f[0] == "web" && f[1] != "BACKEND")
                .then(|| (f[1].to_string(), f[17].to_string()))
        })
        .collect()
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One `GET /` through HAProxy on a new connection; the status code, or 0 when it failed.
fn get(address: &str, port: u16) -> u16 {
    let Ok(mut stream) = TcpStream::connect((address, port)) else {
        return 0;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n");
    let mut line = String::new();
    let _ = BufReader::new(stream).read_line(&mut line);
    line.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

/// The shipped plan's `services:` section, pointed at the lab: its hooks are used verbatim
/// except for the socket path.
fn shipped_haproxy_services(socket: &Path) -> String {
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("plans/haproxy-rolling-web.yaml"),
    )
    .expect("shipped plan");
    let services = shipped.split_once("services:\n").expect("services").1;
    services
        .replace("/run/haproxy/admin.sock", &socket.display().to_string())
        .replace("[group:web]", "[host-2, host-3]")
        .replace("on: lb-01", "on: host-1")
        .replace("unit: nginx", "restart: \"{vars.dir}/bin/restart web\"")
        .replace("http://{address}/health", "http://{address}:7100/health")
}

#[test]
fn a_rolling_restart_behind_haproxy_loses_no_request() {
    let lab = Lab::start(3);
    lab.service(1, "web", 7100, "");
    lab.service(2, "web", 7100, "");
    let hp = Haproxy::start(&lab, 7180, 7100);
    let plan = lab.plan_with(
        "defaults:\n  health: { timeout: 10s, interval: 100ms, settle: 1s }\n",
        &shipped_haproxy_services(&hp.socket),
    );

    // The client: a bounded loop of requests through HAProxy for the whole run, counted.
    let done = Arc::new(AtomicBool::new(false));
    let statuses = Arc::new(Mutex::new(Vec::<u16>::new()));
    let client = {
        let (done, statuses) = (done.clone(), statuses.clone());
        let address = lab.hosts[0].address.clone();
        std::thread::spawn(move || {
            for _ in 0..20_000 {
                if done.load(Ordering::SeqCst) {
                    break;
                }
                let code = get(&address, 7180);
                statuses.lock().expect("lock").push(code);
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };
    // What HAProxy shows for each server during the run.
    let seen = Arc::new(Mutex::new(Vec::<(String, String)>::new()));
    let watcher = {
        let (done, seen) = (done.clone(), seen.clone());
        let socket = hp.socket.clone();
        std::thread::spawn(move || {
            while !done.load(Ordering::SeqCst) {
                let now = server_states(&socket);
                let mut seen = seen.lock().expect("lock");
                for s in now {
                    if !seen.contains(&s) {
                        seen.push(s);
                    }
                }
                drop(seen);
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    let out = lab.run("run", &plan, &["--yes"]);
    done.store(true, Ordering::SeqCst);
    client.join().expect("client");
    watcher.join().expect("watcher");
    let err = exited(&out, 0);
    assert_eq!(lab.restart_ids(), ["web@host-2", "web@host-3"], "{err}");

    let statuses = statuses.lock().expect("lock").clone();
    let failed: Vec<&u16> = statuses
        .iter()
        .filter(|c| !(200..300).contains(*c))
        .collect();
    assert!(
        statuses.len() >= 50,
        "too few requests to prove anything: {}",
        statuses.len()
    );
    assert!(
        failed.is_empty(),
        "{} of {} requests failed: {failed:?}",
        failed.len(),
        statuses.len()
    );

    let seen = seen.lock().expect("lock").clone();
    for server in ["host-2", "host-3"] {
        assert!(
            seen.iter()
                .any(|(s, st)| s == server && (st == "DRAIN" || st == "MAINT")),
            "{server} was never seen drained: {seen:?}"
        );
    }
    assert_eq!(
        server_states(&hp.socket),
        [
            ("host-2".into(), "UP".into()),
            ("host-3".into(), "UP".into())
        ],
        "both servers are back in rotation"
    );
}

#[test]
fn a_restart_that_fails_behind_haproxy_leaves_the_server_drained_with_the_command_to_undrain() {
    let lab = Lab::start(3);
    lab.service(1, "web", 7100, "");
    lab.service(2, "web", 7100, "");
    let hp = Haproxy::start(&lab, 7180, 7100);
    let services = shipped_haproxy_services(&hp.socket).replace(
        "\"{vars.dir}/bin/restart web\"",
        "\"echo 'nginx: [emerg] unknown directive' >&2; exit 1\"",
    );
    let plan = lab.plan_with(DEFAULTS, &services);
    let err = exited(&lab.run("run", &plan, &["--yes"]), 1);
    assert_has(&err, "STILL DRAINED");
    assert_has(&err, "set server web/host-2 state ready");
    let statuses = server_states(&hp.socket);
    assert_eq!(
        statuses[0],
        ("host-2".into(), "DRAIN".into()),
        "{statuses:?}"
    );
    assert_eq!(statuses[1], ("host-3".into(), "UP".into()));
}

// ---------------------------------------------------------------------------------------------
// Notifications

#[derive(Clone, Copy, PartialEq)]
enum Answer {
    Ok,
    Error,
    Never,
}

/// A real HTTP receiver on loopback that records every request it gets.
struct Receiver {
    port: u16,
    requests: Arc<Mutex<Vec<(String, String)>>>,
}

impl Receiver {
    fn start(address: &str, answer: Answer) -> Receiver {
        let listener = TcpListener::bind((address, 0)).expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let kept = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let kept = kept.clone();
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                    let mut head = String::new();
                    let mut length = 0;
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            length = v.trim().parse().unwrap_or(0);
                        }
                        if line == "\r\n" {
                            break;
                        }
                        head.push_str(&line);
                    }
                    let mut body = vec![0; length];
                    let _ = reader.read_exact(&mut body);
                    kept.lock()
                        .expect("lock")
                        .push((head, String::from_utf8_lossy(&body).into_owned()));
                    let mut stream = stream;
                    match answer {
                        Answer::Ok => {
                            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
                        }
                        Answer::Error => {
                            let _ = stream.write_all(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                        }
                        Answer::Never => std::thread::sleep(Duration::from_secs(60)),
                    }
                });
            }
        });
        Receiver { port, requests }
    }

    fn bodies(&self) -> Vec<serde_json::Value> {
        self.requests
            .lock()
            .expect("lock")
            .iter()
            .map(|(_, b)| serde_json::from_str(b).expect("a JSON body"))
            .collect()
    }
}

fn notify_plan(lab: &Lab, notify: &str, restart_two: &str) -> PathBuf {
    lab.service(1, "web", 7100, "");
    lab.service(2, "web", 7100, "");
    lab.plan_with(
        &format!("{DEFAULTS}notify:\n{notify}"),
        &format!(
            r#"  web:
    hosts: [host-2, host-3]
    restart: "{restart_two}"
    health: [{{ tcp: 7100 }}]
    impact: Customers cannot pay by card.
    runbook: |

      Call the payment provider's status line.
      Then read web.out.
"#
        ),
    )
}

#[test]
fn webhooks_get_readable_messages_and_a_failing_or_hanging_one_never_holds_the_run() {
    let lab = Lab::start(3);
    let address = lab.hosts[0].address.clone();
    let good = Receiver::start(&address, Answer::Ok);
    let broken = Receiver::start(&address, Answer::Error);
    let hanging = Receiver::start(&address, Answer::Never);
    let notify = format!(
        "  - url: http://{address}:{}/hooks/T0KEN-SECRET-1\n    headers: {{ X-Chat-Key: HEADER-SECRET }}\n\
         \x20 - url: http://{address}:{}/hooks/T0KEN-SECRET-2\n    events: [start, done]\n\
         \x20 - url: http://{address}:{}/hooks/T0KEN-SECRET-3\n    timeout: 8s\n",
        good.port, broken.port, hanging.port
    );
    let plan = notify_plan(&lab, &notify, "{vars.dir}/bin/restart web");
    let err = exited(&lab.run("run", &plan, &["--yes"]), 0);
    assert_eq!(lab.restart_ids(), ["web@host-2", "web@host-3"]);

    let bodies = good.bodies();
    let events: Vec<&str> = bodies
        .iter()
        .map(|b| b["event"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["start", "step", "step", "done"]);
    assert_eq!(
        bodies[0]["text"],
        "Restart of plan: starts: 2 steps, one service at a time. No ETA yet."
    );
    assert_eq!(
        bodies[1]["text"],
        "Restart of plan: step 1/2 web on host-2. No ETA yet."
    );
    assert_eq!(bodies[2]["step"]["host"], "host-3");
    assert_eq!(bodies[2]["total_steps"], 2);
    assert_eq!(bodies[3]["outcome"], "completed");
    assert!(
        bodies[3]["text"]
            .as_str()
            .unwrap()
            .starts_with("Restart of plan: done. All 2 steps came back")
    );
    let heads = good.requests.lock().expect("lock").clone();
    assert!(
        heads
            .iter()
            .all(|(h, _)| h.to_ascii_lowercase().contains("x-chat-key: header-secret"))
    );
    assert!(
        heads
            .iter()
            .all(|(h, _)| h.starts_with("POST /hooks/T0KEN-SECRET-1 "))
    );
    assert_eq!(broken.bodies().len(), 2, "only the events it asked for");

    // The failures are warnings, in the output, the journal and the report; tokens are masked.
    assert_has(
        &err,
        &format!(
            "the start message to http://{address}:{}/**** was not delivered: the webhook answered HTTP 500",
            broken.port
        ),
    );
    assert_has(
        &err,
        &format!(
            "to http://{address}:{}/**** was not delivered: no answer within 8.0s",
            hanging.port
        ),
    );
    let failed = events_named(&lab, "notify_failed");
    assert_eq!(
        failed.len(),
        2 + 4,
        "2 answered 500, 4 never answered: {failed:?}"
    );
    let journal = std::fs::read_to_string(lab.last_run().join("journal.jsonl")).expect("journal");
    let report = std::fs::read_to_string(lab.last_run().join("report.md")).expect("report");
    assert_has(&report, "## Warnings");
    for text in [&err, &journal, &report] {
        assert!(
            !text.contains("T0KEN-SECRET"),
            "a webhook token leaked:\n{text}"
        );
        assert!(
            !text.contains("HEADER-SECRET"),
            "a header secret leaked:\n{text}"
        );
    }
    // Every post to the hanging hook was made and given up only after the run had finished:
    // the walk never waited on it (the journal's order says so, not a stopwatch).
    assert_eq!(hanging.requests.lock().expect("lock").len(), 4);
    let order: Vec<String> = lab
        .journal()
        .iter()
        .filter(|e| {
            e["event"] == "run_finished"
                || (e["event"] == "notify_failed"
                    && e["error"]
                        .as_str()
                        .is_some_and(|m| m.starts_with("no answer")))
        })
        .map(|e| e["event"].as_str().expect("name").to_string())
        .collect();
    assert_eq!(
        order.first().map(String::as_str),
        Some("run_finished"),
        "{order:?}"
    );
    assert_eq!(order.len(), 5, "{order:?}");
}

#[test]
fn a_halt_message_gives_the_perimeter_the_first_runbook_line_and_no_eta() {
    let lab = Lab::start(3);
    let address = lab.hosts[0].address.clone();
    let good = Receiver::start(&address, Answer::Ok);
    let notify = format!(
        "  - url: http://{address}:{}/hook\n    events: [halt]\n",
        good.port
    );
    let plan = notify_plan(&lab, &notify, "exit 1");
    exited(&lab.run("run", &plan, &["--yes"]), 1);
    let bodies = good.bodies();
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    assert_eq!(
        bodies[0]["text"],
        "Restart of plan HALTED at step 1/2 web on host-2. Impact: Customers cannot pay by card. Next: Call the payment provider's status line. Nothing else is being restarted. No ETA yet: the ops team is on it."
    );
    assert_eq!(bodies[0]["impact"], "Customers cannot pay by card.");
    assert_eq!(bodies[0]["step"]["id"], "web@host-2");
}

// ---------------------------------------------------------------------------------------------
// Pacing and ETA

fn two_steps(lab: &Lab) -> PathBuf {
    lab.service(1, "web", 7100, "");
    lab.service(2, "web", 7100, "");
    lab.plan_with(
        DEFAULTS,
        r#"  web:
    hosts: [host-2, host-3]
    restart: "{vars.dir}/bin/restart web"
    health: [{ tcp: 7100 }]
"#,
    )
}

#[test]
fn the_canary_stops_after_n_steps_and_resume_continues() {
    let lab = Lab::start(3);
    let plan = two_steps(&lab);
    let err = exited(&lab.run("run", &plan, &["--yes", "--stop-after", "1"]), 0);
    assert_has(&err, "stopped after 1 step as asked");
    assert_eq!(lab.restart_ids(), ["web@host-2"]);
    let out = lab
        .comeback()
        .args(["resume", "--yes", "--plan"])
        .arg(&plan)
        .output()
        .expect("resume");
    let err = exited(&out, 0);
    // The resume says what it did itself, and that the run is now whole.
    assert_has(&err, "done: 1 step restarted and verified in ");
    assert_has(
        &err,
        "; with the earlier sessions of this run, all 2 steps are done",
    );
    assert_eq!(lab.restart_ids(), ["web@host-2", "web@host-3"]);
}

#[test]
fn a_pause_waits_between_steps() {
    let lab = Lab::start(3);
    let plan = two_steps(&lab);
    exited(&lab.run("run", &plan, &["--yes", "--pause", "1500ms"]), 0);
    let r = lab.restarts();
    assert!(
        r[1].0 - r[0].1 >= 1.5,
        "no pause between the restarts: {r:?}"
    );
    let paused = events_named(&lab, "pausing");
    assert_eq!(paused.len(), 1);
    assert_eq!(paused[0]["before"], 2);
    assert_eq!(paused[0]["ms"], 1500);
}

/// `comeback ARGS` under a pseudo-terminal (util-linux `script`), typing `input`.
fn on_a_terminal(lab: &Lab, args: &str, input: &str) -> (Option<i32>, String) {
    let command = format!("{} {args}", lab::comeback_bin());
    let mut child = Command::new("script")
        .args(["-qefc", &command, "/dev/null"])
        .env("TMPDIR", lab.root.path().join("tmp"))
        .env("TERM", "dumb")
        .env_remove("SSH_AUTH_SOCK")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input.as_bytes()).expect("type");
    // Keep typing possible until it ends: a closed input would read as the end of the answers.
    let out = child.wait_with_output().expect("wait");
    drop(stdin);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn step_mode_asks_on_a_terminal_and_no_stops_cleanly() {
    let lab = Lab::start(3);
    let plan = two_steps(&lab);
    let (code, text) = on_a_terminal(
        &lab,
        &format!("run {} --yes --step", plan.display()),
        "y\nn\n",
    );
    assert_eq!(code, Some(0), "{text}");
    assert_has(&text, "next: step 1 web@host-2. Run it?");
    assert_has(&text, "next: step 2 web@host-3. Run it?");
    assert_has(&text, "stopped after 1 step as asked");
    assert_eq!(lab.restart_ids(), ["web@host-2"]);

    // `all` stops asking; `quit` is an interruption (exit 130).
    let (code, text) = on_a_terminal(
        &lab,
        &format!("resume --plan {} --yes --step", plan.display()),
        "q\n",
    );
    assert_eq!(code, Some(130), "{text}");
    assert_eq!(lab.restart_ids(), ["web@host-2"]);
    let (code, text) = on_a_terminal(
        &lab,
        &format!("resume --plan {} --yes --step", plan.display()),
        "a\n",
    );
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(lab.restart_ids(), ["web@host-2", "web@host-3"]);
}

#[test]
fn step_mode_without_a_terminal_is_refused() {
    let lab = Lab::start(1);
    let plan =
        lab.plan("  x:\n    hosts: [host-1]\n    restart: \"true\"\n    health: [{ tcp: 7100 }]\n");
    let err = exited(&lab.run("run", &plan, &["--yes", "--step"]), 2);
    assert_has(&err, "no terminal to ask on");
}

#[test]
fn the_eta_comes_from_earlier_runs_and_is_never_invented() {
    let lab = Lab::start(3);
    let plan = two_steps(&lab);
    let err = exited(&lab.run("run", &plan, &["--yes"]), 0);
    assert_has(
        &err,
        "expected duration: no estimate yet (none of 2 steps ran before)",
    );
    let plan_text = lab
        .comeback()
        .arg("plan")
        .arg(&plan)
        .output()
        .expect("plan");
    let first: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(lab.last_run().join("report.json")).expect("report"),
    )
    .expect("json");
    assert_eq!(first["estimated_total_ms"], serde_json::Value::Null);
    let took: Vec<u64> = first["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["result"]["elapsed_ms"].as_u64().expect("ms"))
        .collect();
    assert_has(
        &String::from_utf8_lossy(&plan_text.stdout),
        "Expected duration: ",
    );

    std::thread::sleep(Duration::from_millis(5)); // a new run id
    let err = exited(&lab.run("run", &plan, &["--yes"]), 0);
    assert_has(&err, "expected duration: ");
    assert_has(&err, "(median of earlier runs), end about ");
    assert_has(&err, "[1/2] web@host-2 expected end ");
    let second: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(lab.last_run().join("report.json")).expect("report"),
    )
    .expect("json");
    assert_eq!(second["estimated_total_ms"], took.iter().sum::<u64>());
    assert_eq!(second["steps"][0]["estimated_ms"], took[0]);
    let report = std::fs::read_to_string(lab.last_run().join("report.md")).expect("report");
    assert_has(&report, "## Timing");

    // The plan elsewhere: its history is where --state-dir says, not beside it.
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let copy = elsewhere.path().join("plan.yaml");
    std::fs::copy(&plan, &copy).expect("copy");
    let shown = |state_dir: Option<&std::path::Path>| {
        let mut cmd = lab.comeback();
        cmd.arg("plan").arg(&copy);
        if let Some(dir) = state_dir {
            cmd.arg("--state-dir").arg(dir);
        }
        String::from_utf8_lossy(&cmd.output().expect("plan").stdout).into_owned()
    };
    assert!(!shown(None).contains("Expected duration"));
    let state = lab.root.path().join(".comeback");
    assert_has(&shown(Some(&state)), "Expected duration: ");
}
