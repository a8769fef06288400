//! `comeback demo`: a small real stack on this machine (a database, a cache, an app, a proxy:
//! real processes on loopback ports, each reading its config), then the takeover week in two
//! minutes: a dry run that finds a stale reference, the fix, a controlled restart, its report.
//! Everything it started is stopped when it ends, fails or is interrupted.

pub(crate) mod service;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The demo's services, in plan order: name, and the services it depends on.
const SERVICES: [(&str, &[&str]); 4] = [
    ("db", &[]),
    ("cache", &[]),
    ("app", &["db", "cache"]),
    ("proxy", &["app"]),
];

/// The line of app.conf that names a mail relay decommissioned long ago.
const STALE_LINE: &str = "mail_relay = smtp-old.demo.invalid:25";

/// `restart.sh NAME PORT`: stop the old process, start a new one detached, like an init script
/// would; the lab's hosts restart their services with the same script.
const RESTART_SCRIPT: &str = include_str!("../remote/demo_restart.sh");

pub(crate) struct Demo {
    pub dir: PathBuf,
    ports: Vec<(String, u16)>,
    _temp: Option<tempfile::TempDir>,
}

/// The first line of every demo plan.
const PLAN_HEADER: &str =
    "# The comeback demo: four real services on this machine, each on its own port.";

/// Whether a file name is one the demo writes in its folder.
fn written_by_the_demo(name: &str) -> bool {
    if matches!(name, "demo.yaml" | "restart.sh" | ".comeback") {
        return true;
    }
    name.split_once('.').is_some_and(|(service, kind)| {
        SERVICES.iter().any(|(s, _)| *s == service) && matches!(kind, "conf" | "pid" | "log")
    })
}

/// `--dir` must be new, empty or an earlier demo's (nothing in it the demo would not write
/// itself): the demo writes `app.conf`, `restart.sh` and more there, and must never overwrite
/// someone's files. Its path must be plain text: the demo finds its own processes by it.
fn usable(dir: &Path) -> std::io::Result<()> {
    if dir.to_str().is_none_or(|d| d.chars().any(char::is_control)) {
        return Err(std::io::Error::other(format!(
            "`{}`: give a folder whose path is UTF-8 without control characters",
            dir.display()
        )));
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return if dir.exists() {
            Err(std::io::Error::other(format!(
                "`{}` is not a readable folder",
                dir.display()
            )))
        } else {
            Ok(())
        };
    };
    let mut names = entries.map(|e| e.map(|e| e.file_name()));
    if names.all(|n| n.is_ok_and(|n| n.to_str().is_some_and(written_by_the_demo))) {
        Ok(())
    } else {
        Err(std::io::Error::other(format!(
            "`{}` holds files of its own: give a new or empty folder (the demo writes its configs, scripts and plan there)",
            dir.display()
        )))
    }
}

/// A value for the plan: a YAML double-quoted scalar (JSON's strings are), braces kept literal
/// for a template.
fn yaml_template(value: &str) -> String {
    serde_json::Value::from(value.replace('{', "{{")).to_string()
}

/// `n` distinct free ports: each listener is held until all are chosen, because the kernel may
/// hand a just-closed port out again (two services on one port: CI saw it once).
fn free_ports(n: usize) -> std::io::Result<Vec<u16>> {
    let held = (0..n)
        .map(|_| TcpListener::bind("127.0.0.1:0"))
        .collect::<std::io::Result<Vec<_>>>()?;
    held.iter().map(|l| Ok(l.local_addr()?.port())).collect()
}

impl Demo {
    /// Writes the stack's configs, scripts and plan under `dir` (a fresh temporary folder when
    /// `None`) and starts its services.
    pub(crate) fn start(dir: Option<PathBuf>) -> std::io::Result<Demo> {
        let (dir, temp) = match dir {
            Some(dir) => {
                usable(&dir)?;
                std::fs::create_dir_all(&dir)?;
                (dir, None)
            }
            None => {
                let temp = tempfile::Builder::new()
                    .prefix("comeback-demo-")
                    .tempdir()?;
                (temp.path().to_path_buf(), Some(temp))
            }
        };
        let ports = SERVICES
            .iter()
            .map(|(name, _)| name.to_string())
            .zip(free_ports(SERVICES.len())?)
            .collect();
        let demo = Demo {
            dir,
            ports,
            _temp: temp,
        };
        demo.write_files()?;
        for (name, _) in SERVICES {
            demo.start_service(name)?;
        }
        for (name, port) in &demo.ports {
            demo.wait_for(name, *port)?;
        }
        Ok(demo)
    }

    fn port(&self, name: &str) -> u16 {
        self.ports
            .iter()
            .find(|(n, _)| n == name)
            .map_or(0, |(_, p)| *p)
    }

    pub(crate) fn plan(&self) -> PathBuf {
        self.dir.join("demo.yaml")
    }

    fn write_files(&self) -> std::io::Result<()> {
        let exe = std::env::current_exe()?;
        let d = &self.dir;
        let at = |name: &str| format!("127.0.0.1:{}", self.port(name));
        std::fs::write(
            d.join("db.conf"),
            "# demo database\nmax_connections = 100\ndata_dir = /var/lib/demo-db\n",
        )?;
        std::fs::write(d.join("cache.conf"), "# demo cache\nmaxmemory = 64mb\n")?;
        std::fs::write(
            d.join("app.conf"),
            format!(
                "# demo app: its upstreams are checked on every /health\nupstream = {}\nupstream = {}\n\
                 DATABASE_URL=postgres://shop:demo-Passw0rd@{}/shop\n# left over from before the migration:\n{STALE_LINE}\n",
                at("db"),
                at("cache"),
                at("db")
            ),
        )?;
        std::fs::write(
            d.join("proxy.conf"),
            format!("# demo proxy\nupstream = {}\n", at("app")),
        )?;
        // Its folder and binary as quoted assignments before it: never part of its text.
        let restart = format!(
            "#!/bin/sh\nd={} exe={} log=log record=\n{RESTART_SCRIPT}",
            quoted(d)?,
            quoted(&exe)?
        );
        let script = d.join("restart.sh");
        std::fs::write(&script, restart)?;
        let mut services = String::new();
        for (name, deps) in SERVICES {
            let port = self.port(name);
            let health = if name == "app" || name == "proxy" {
                format!(
                    "\n      - {{ tcp: {port} }}\n      - http: \"http://{{address}}:{port}/health\"\n        body: '\"status\":\"ok\"'"
                )
            } else {
                format!(" [{{ tcp: {port} }}]")
            };
            let start = format!("sh {} {name} {port}", quoted(&script)?);
            let log = d.join(format!("{name}.log"));
            services.push_str(&format!(
                "  {name}:\n    hosts: [{name}-01]\n    depends_on: [{}]\n    restart: {restart}\n    \
                 configs: [{conf}]\n    pid_file: {pid}\n    health:{health}\n    impact: {impact}\n    runbook: {runbook}\n",
                deps.join(", "),
                restart = yaml_template(&start),
                conf = yaml_template(&d.join(format!("{name}.conf")).display().to_string()),
                pid = serde_json::Value::from(d.join(format!("{name}.pid")).display().to_string()),
                runbook = serde_json::Value::from(format!(
                    "Read {}.\nStart it by hand: {start}\n",
                    log.display()
                )),
                impact = match name {
                    "db" => "Nobody can log in or order.",
                    "cache" => "Pages are slow; sessions are lost.",
                    "app" => "The shop answers with errors.",
                    _ => "The shop is unreachable.",
                },
            ));
        }
        let hosts: String = SERVICES
            .iter()
            .map(|(n, _)| format!("  {n}-01: {{ connection: local }}\n"))
            .collect();
        let plan = format!(
            "{PLAN_HEADER}\nhosts:\n{hosts}\
             defaults:\n  health: {{ timeout: 10s, interval: 200ms, settle: 1s }}\n  restart_timeout: 30s\nservices:\n{services}"
        );
        std::fs::write(self.plan(), plan)
    }

    fn start_service(&self, name: &str) -> std::io::Result<()> {
        use std::os::unix::process::CommandExt;
        // Its own process group: a Ctrl-C in the terminal is the demo's to handle, not theirs.
        let status = Command::new("sh")
            .process_group(0)
            .arg(self.dir.join("restart.sh"))
            .arg(name)
            .arg(self.port(name).to_string())
            .status()?;
        if status.success() {
            Ok(())
        } else {
            Err(std::io::Error::other(format!("could not start {name}")))
        }
    }

    fn wait_for(&self, name: &str, port: u16) -> std::io::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err(std::io::Error::other(format!(
                    "{name} did not start on port {port}"
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(())
    }

    /// The operator's fix: the stale line goes, as it would in the config repository.
    pub(crate) fn remove_stale_reference(&self) -> std::io::Result<()> {
        let path = self.dir.join("app.conf");
        let text = std::fs::read_to_string(&path)?;
        std::fs::write(&path, text.replace(&format!("{STALE_LINE}\n"), ""))
    }

    /// Stops every service the demo started, whatever their state.
    pub(crate) fn stop(&self) {
        stop_services(&self.dir);
    }
}

/// A path as one shell word.
fn quoted(path: &Path) -> std::io::Result<String> {
    let path = path.display().to_string();
    if path.contains('\0') {
        return Err(std::io::Error::other("a path with a NUL byte"));
    }
    Ok(crate::quote::word(&path).into_owned())
}

/// Stops the demo's services: only a process that is the demo service of this folder, since a
/// pid file outlives its process and pids are reused.
fn stop_services(dir: &Path) {
    for (name, _) in SERVICES {
        let Ok(pid) = std::fs::read_to_string(dir.join(format!("{name}.pid"))) else {
            continue;
        };
        let pid = pid.trim();
        let Ok(args) = Command::new("ps").args(["-o", "args=", "-p", pid]).output() else {
            continue;
        };
        let config = format!("--config {}", dir.join(format!("{name}.conf")).display());
        let args = String::from_utf8_lossy(&args.stdout);
        if args.contains(" demo-service ") && args.trim_end().ends_with(&config) {
            let _ = Command::new("kill").arg(pid).status();
        }
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Ctrl-C outside a run stops the services and exits; during a run, the run handles it and the
/// demo stops the services when the run returns.
pub(crate) fn stop_on_interrupt(dir: PathBuf, in_run: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        runtime.block_on(async {
            loop {
                if tokio::signal::ctrl_c().await.is_err() {
                    return;
                }
                if !in_run.load(Ordering::SeqCst) {
                    eprintln!("\ninterrupted: stopping the demo's services");
                    stop_services(&dir);
                    std::process::exit(crate::exit::INTERRUPTED);
                }
            }
        });
    });
}
