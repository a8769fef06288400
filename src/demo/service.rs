//! A small real service for the shipped demo and the test lab: it reads a config file, listens
//! on a TCP port, answers `GET /health`, and can be told by its config to misbehave the ways
//! real services do (fail at start, die soon after, hang, lose its upstream for good).
//!
//! Config, `key = value` per line (`#` comments):
//! - `upstream = host:port`  (repeatable) /health is 503 while one does not accept TCP
//! - `hold_upstream = true`  connect once at start and never reconnect: once the upstream
//!   restarts, /health stays 503 (the app that never reconnects to its database)
//! - `fail_start = true`     exit 1 at start, like a service with a broken config
//! - `die_after = 2s`        exit after that long, like a service that crashes after starting
//! - `hang_health = true`    accept connections but never answer

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

#[derive(Debug, Default)]
struct Config {
    upstreams: Vec<String>,
    hold_upstream: bool,
    fail_start: bool,
    die_after: Option<Duration>,
    hang_health: bool,
}

fn read_config(path: &Path) -> Result<Config, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut config = Config::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .map(|(k, v)| (k.trim(), v.trim()))
            .ok_or_else(|| format!("{}:{}: expected `key = value`", path.display(), n + 1))?;
        let flag = || value == "true";
        match key {
            "upstream" => config
                .upstreams
                .extend(value.split(',').map(|s| s.trim().to_string())),
            "hold_upstream" => config.hold_upstream = flag(),
            "fail_start" => config.fail_start = flag(),
            "hang_health" => config.hang_health = flag(),
            "die_after" => {
                config.die_after = Some(
                    humantime::parse_duration(value)
                        .map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?,
                )
            }
            // Other keys are what a real service would read (names, tuning); ignored here.
            _ => {}
        }
    }
    Ok(config)
}

fn reachable(target: &str) -> bool {
    target
        .to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .is_some_and(|addr| TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_ok())
}

/// Runs the service until it is killed (or its config says it dies). Returns the exit code.
pub(crate) fn serve(listen: &str, config_path: &Path) -> i32 {
    let config = match read_config(config_path) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("demo-service: {e}");
            return 1;
        }
    };
    if config.fail_start {
        eprintln!(
            "demo-service: refusing to start: fail_start = true in {}",
            config_path.display()
        );
        return 1;
    }
    let listener = match TcpListener::bind(listen) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("demo-service: cannot listen on {listen}: {e}");
            return 1;
        }
    };
    let healthy_upstream = Arc::new(AtomicBool::new(true));
    if config.hold_upstream {
        for target in config.upstreams.clone() {
            let flag = healthy_upstream.clone();
            let stream = target
                .to_socket_addrs()
                .ok()
                .and_then(|mut a| a.next())
                .and_then(|addr| TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok());
            match stream {
                Some(mut stream) => {
                    std::thread::spawn(move || {
                        // The upstream closing the connection (a restart) is never recovered.
                        let mut buf = [0u8; 256];
                        while matches!(stream.read(&mut buf), Ok(n) if n > 0) {}
                        flag.store(false, Ordering::SeqCst);
                    });
                }
                None => flag.store(false, Ordering::SeqCst),
            }
        }
    }
    if let Some(after) = config.die_after {
        std::thread::spawn(move || {
            std::thread::sleep(after);
            eprintln!("demo-service: crashing after {after:?} (die_after)");
            std::process::exit(3);
        });
    }
    let config = Arc::new(config);
    for stream in listener.incoming().flatten() {
        let config = config.clone();
        let held = healthy_upstream.clone();
        std::thread::spawn(move || answer(stream, &config, &held));
    }
    0
}

fn answer(mut stream: TcpStream, config: &Config, held: &AtomicBool) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut request_line = String::new();
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // Drain the headers so the client sees a well-behaved server.
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    if config.hang_health {
        std::thread::sleep(Duration::from_secs(3600));
        return;
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let (status, body) = if path == "/health" {
        let down: Vec<&str> = if config.hold_upstream {
            if held.load(Ordering::SeqCst) {
                vec![]
            } else {
                config.upstreams.iter().map(String::as_str).collect()
            }
        } else {
            config
                .upstreams
                .iter()
                .map(String::as_str)
                .filter(|u| !reachable(u))
                .collect()
        };
        if down.is_empty() {
            ("200 OK", "{\"status\":\"ok\"}\n".to_string())
        } else {
            (
                "503 Service Unavailable",
                format!(
                    "{{\"status\":\"down\",\"upstream\":\"{}\"}}\n",
                    down.join(",")
                ),
            )
        }
    } else {
        ("200 OK", "demo-service\n".to_string())
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}
