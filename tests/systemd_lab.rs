//! A real systemd as a test host's PID 1 (systemd-nspawn), driven over SSH with `unit:`:
//! Redis restarted with proof and inferred checks, nginx reloaded in place, a `Type=simple`
//! unit whose new process dies a second after `systemctl restart` exited 0 caught as soon as
//! systemd knows, a unit restarting in a loop, a stop systemd had to force, a oneshot with
//! nothing to prove a restart by, and an unknown unit refused.

mod lab;
mod output;

use lab::Lab;
use output::{assert_has, exited};

/// Healthy until /etc/lab-broken exists; then each new process dies a second after start.
const FLAKY: &str = "[Unit]\nDescription=a service that breaks on its next start\n[Service]\nType=simple\n\
ExecStart=/bin/sh -c 'if [ -e /etc/lab-broken ]; then sleep 1; exit 1; fi; exec sleep infinity'\n";

/// Restarted by systemd after each crash: a crash loop once /etc/lab-broken exists.
const LOOPING: &str = "[Unit]\nDescription=a service that crashes in a loop\n[Service]\n\
Type=simple\nRestart=always\nRestartSec=200ms\n\
ExecStart=/bin/sh -c 'if [ -e /etc/lab-broken ]; then sleep 0.3; exit 3; fi; exec sleep infinity'\n";

/// Ignores SIGTERM: systemd kills it when its stop times out.
const STUBBORN: &str = "[Unit]\nDescription=a service that does not stop when asked\n[Service]\n\
Type=simple\nTimeoutStopSec=1\n\
ExecStart=/usr/bin/python3 -c 'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(1e9)'\n";

/// A oneshot that leaves nothing running: nothing can prove its restart.
const ONESHOT: &str = "[Unit]\nDescription=a oneshot setup\n[Service]\nType=oneshot\n\
RemainAfterExit=yes\nExecStart=/bin/true\n";

#[test]
fn systemd_units_restart_and_reload_with_proof_and_a_dying_process_is_caught() {
    let lab = Lab::start_systemd(
        1,
        &[
            ("lab-flaky.service", FLAKY),
            ("lab-loop.service", LOOPING),
            ("lab-stubborn.service", STUBBORN),
            ("lab-setup.service", ONESHOT),
        ],
    );
    lab.exec(
        0,
        "systemctl start redis-server nginx lab-flaky lab-loop lab-stubborn lab-setup",
    );
    let main_pid = |unit: &str| -> u32 {
        lab.exec(0, &format!("systemctl show -p MainPID --value {unit}"))
            .trim()
            .parse()
            .expect("pid")
    };
    let (redis, nginx) = (main_pid("redis-server"), main_pid("nginx"));
    let plan = lab.plan_with(
        "defaults:\n  health: { timeout: 20s, interval: 200ms, settle: 3s }\n",
        "  redis:\n    hosts: [host-1]\n    unit: redis-server\n\
         \x20 nginx:\n    hosts: [host-1]\n    unit: nginx\n    action: reload\n\
         \x20 flaky:\n    hosts: [host-1]\n    depends_on: [redis, nginx]\n    unit: lab-flaky\n",
    );
    let dry = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&dry, 0);
    assert_has(&err, "service manager of host-1: systemd");

    lab.exec(0, "touch /etc/lab-broken");
    let out = lab.run("run", &plan, &["--yes"]);
    let err = exited(&out, 1);
    assert_has(&err, "HALTED at step 3: flaky@host-1");
    // systemd's word, whichever saw it first: the watch or the inferred check.
    assert_has(
        &err,
        "systemd says lab-flaky is failed (failed), Result=exit-code",
    );
    assert_has(&err, "the last lines of its log (journalctl -u lab-flaky)");
    let journal = lab.journal();
    let proofs: Vec<_> = journal
        .iter()
        .filter(|e| e["event"] == "restart_evidence")
        .collect();
    assert_eq!(proofs.len(), 3, "{proofs:?}");
    let new_redis = main_pid("redis-server");
    assert_eq!(proofs[0]["before"]["pid"], redis);
    assert_eq!(proofs[0]["after"]["pid"], new_redis);
    assert_ne!(redis, new_redis);
    assert_eq!(proofs[0]["proved"], true);
    assert_eq!(proofs[1]["action"], "reload");
    assert_eq!(proofs[1]["before"]["pid"], nginx);
    assert_eq!(proofs[1]["after"]["pid"], nginx);
    assert_eq!(main_pid("nginx"), nginx);
    // systemctl restart of the Type=simple unit exited 0 with a new process: proved, then it
    // died while the gate waited for it to settle.
    assert_eq!(proofs[2]["proved"], true);
    let inferred = journal
        .iter()
        .find(|e| e["event"] == "checks_inferred")
        .expect("inferred checks for redis")["checks"]
        .to_string();
    assert!(
        inferred.contains(&format!(
            "port 6379 listens again, owned by the new process (pid {new_redis})"
        )),
        "{inferred}"
    );

    // A restart command that exits 0 and restarts nothing never passes.
    let plan = lab.plan_with(
        "",
        "  redis:\n    hosts: [host-1]\n    unit: redis-server\n    restart: \"true\"\n",
    );
    let out = lab.run("run", &plan, &["--yes"]);
    let err = exited(&out, 1);
    assert_has(
        &err,
        &format!("the restart command exited 0, but redis-server is still pid {new_redis} started"),
    );
    assert_has(&err, "nothing was restarted");
    assert_eq!(main_pid("redis-server"), new_redis);

    // A crash loop halts within seconds, in systemd's words; a forced stop is a warning; a
    // oneshot with nothing to prove is said at preflight, and its restart is not failed for it.
    let plan = lab.plan_with(
        "defaults:\n  health: { timeout: 60s, interval: 200ms, settle: 3s }\n",
        "  stubborn:\n    hosts: [host-1]\n    unit: lab-stubborn\n\
         \x20 setup:\n    hosts: [host-1]\n    unit: lab-setup\n\
         \x20 looping:\n    hosts: [host-1]\n    unit: lab-loop\n",
    );
    let dry = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&dry, 0);
    assert_has(
        &err,
        "warning: no process to prove a restart by: lab-setup is a oneshot unit with no process of its own and no unit that is part of it",
    );
    let began = std::time::Instant::now();
    let out = lab.run("run", &plan, &["--yes"]);
    let err = exited(&out, 1);
    assert!(
        began.elapsed() < std::time::Duration::from_secs(30),
        "the crash loop was waited on for {:?}",
        began.elapsed()
    );
    assert_has(&err, "warning: the stop of lab-stubborn was forced");
    assert_has(&err, "[2/3] setup@host-1 ok");
    assert_has(&err, "HALTED at step 3: looping@host-1");
    assert_has(&err, "systemd says lab-loop is");
    // Caught at the first crash (systemd restarting it) or after a few (its restart count).
    assert!(
        err.contains("restarting it after a crash") || err.contains("(a crash loop)"),
        "{err}"
    );
    let journal = lab.journal();
    let forced: Vec<_> = journal
        .iter()
        .filter(|e| e["event"] == "stop_forced")
        .collect();
    assert_eq!(forced.len(), 1, "{forced:?}");
    assert_eq!(forced[0]["unit"], "lab-stubborn");
    let report = std::fs::read_to_string(lab.last_run().join("report.md")).expect("report");
    assert!(
        report.contains("the stop of lab-stubborn was forced"),
        "{report}"
    );

    let plan = lab.plan_with("", "  redis:\n    hosts: [host-1]\n    unit: redis-sever\n");
    let out = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&out, 2);
    assert_has(
        &err,
        "host `host-1`, unit `redis-sever` (redis@host-1): unknown unit `redis-sever`: systemd has no unit redis-sever (LoadState=not-found)",
    );
}
