//! A real systemd as a test host's PID 1 (systemd-nspawn), driven over SSH with `unit:`:
//! Redis restarted with proof and inferred checks, nginx reloaded in place, a `Type=simple`
//! unit whose new process dies a second after `systemctl restart` exited 0 caught by the
//! health gate, and an unknown unit refused.

mod lab;
mod output;

use lab::Lab;
use output::{assert_has, exited};

/// Healthy until /etc/lab-broken exists; then each new process dies a second after start.
const FLAKY: &str = "[Unit]\nDescription=a service that breaks on its next start\n[Service]\nType=simple\n\
ExecStart=/bin/sh -c 'if [ -e /etc/lab-broken ]; then sleep 1; exit 1; fi; exec sleep infinity'\n";

#[test]
fn systemd_units_restart_and_reload_with_proof_and_a_dying_process_is_caught() {
    let lab = Lab::start_systemd(1, &[("lab-flaky.service", FLAKY)]);
    lab.exec(0, "systemctl start redis-server nginx lab-flaky");
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
    assert_has(&err, "systemctl is-active --quiet lab-flaky");
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

    let plan = lab.plan_with("", "  redis:\n    hosts: [host-1]\n    unit: redis-sever\n");
    let out = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&out, 2);
    assert_has(
        &err,
        "host `host-1`, unit `redis-sever` (redis@host-1): unknown unit `redis-sever`: systemd has no unit redis-sever (LoadState=not-found)",
    );
}
