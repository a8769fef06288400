//! The examples under `examples/` run against real files: `cargo test` builds them (Cargo
//! builds examples for `cargo test`), and these tests run the built programs.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;

/// target/<profile>/examples/NAME, beside this test's own target/<profile>/deps/.
fn example(name: &str) -> Command {
    let exe = std::env::current_exe().expect("test path");
    let profile = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>");
    let path: PathBuf = profile.join("examples").join(name);
    assert!(
        path.exists(),
        "{} is not built: `cargo test` builds the examples (or `cargo build --examples`)",
        path.display()
    );
    Command::new(path)
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.output().expect("the example runs");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn plan_order_prints_the_steps_as_comeback_plan_orders_them() {
    let plan = concat!(env!("CARGO_MANIFEST_DIR"), "/plans/web-stack.yaml");
    let printed = stdout(example("plan_order").arg(plan));
    let lines: Vec<&str> = printed.lines().collect();
    assert!(lines.len() >= 2, "{printed}");
    for (n, line) in lines.iter().enumerate() {
        assert!(line.starts_with(&format!("{}. ", n + 1)), "{printed}");
        assert!(line.contains('@'), "{printed}");
    }
    // The same steps, in the same order, as `comeback plan` prints them.
    let text = stdout(Command::new(env!("CARGO_BIN_EXE_comeback")).args(["plan", plan]));
    let mut at = 0;
    for line in &lines {
        let id = line.split_once(". ").expect("numbered").1;
        let found = text[at..]
            .find(id)
            .unwrap_or_else(|| panic!("{id} missing or out of order in\n{text}"));
        at += found + id.len();
    }
}

#[test]
fn scan_config_finds_the_hosts_of_a_config_and_masks_its_password() {
    let dir = tempfile::tempdir().expect("tempdir");
    let conf = dir.path().join("app.env");
    std::fs::write(
        &conf,
        "# app\nDATABASE_URL=postgres://app:Sekr1tPw@db-01.prod.internal:5432/shop\n",
    )
    .expect("write");
    let printed = stdout(example("scan_config").arg(&conf));
    assert!(printed.starts_with("2:"), "{printed}");
    assert!(
        printed.contains("\tdb-01.prod.internal:5432\t"),
        "{printed}"
    );
    assert!(!printed.contains("Sekr1tPw"), "{printed}");
}

#[test]
fn dry_run_to_file_writes_every_event_of_a_dry_run_as_a_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let plan = dir.path().join("plan.yaml");
    std::fs::write(
        &plan,
        format!(
            "hosts:\n  here: {{ connection: local, address: 127.0.0.1 }}\nservices:\n  web:\n    hosts: [here]\n    restart: \"false\"\n    health: [{{ tcp: {port} }}]\n"
        ),
    )
    .expect("plan");
    let out = dir.path().join("events.jsonl");
    let printed = stdout(example("dry_run_to_file").arg(&plan).arg(&out));
    assert_eq!(printed.trim(), "Completed");
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&out)
        .expect("events")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a json line"))
        .collect();
    assert_eq!(lines[0]["event"], "run_started");
    assert_eq!(lines[0]["mode"], "dry_run");
    assert!(
        lines
            .iter()
            .any(|l| l["event"] == "step_succeeded" && l["step"] == "web@here")
    );
    assert!(
        !lines.iter().any(|l| l["event"] == "restarted"),
        "a dry run restarts nothing"
    );
    let last = lines.last().expect("events");
    assert_eq!(last["event"], "run_finished");
    assert_eq!(last["outcome"]["outcome"], "completed");
    assert!(lines.iter().all(|l| l["ts"].is_string() && l["v"] == 3));
}
