//! The namespace test hosts themselves: reached over SSH from the hub, each with its own
//! hostname, pid numbers, /run and daemon folders, and nothing left behind.

mod lab;

use lab::Lab;
use std::path::Path;

#[test]
fn namespace_hosts_are_separate_machines_reached_over_ssh() {
    let lab = Lab::start_ns(2);
    let hub = lab.net.as_ref().expect("net").hub.clone();
    for i in 0..2 {
        let out = lab.ssh(i, "hostname; cat /proc/1/comm");
        assert!(out.status.success(), "{out:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            text.lines().collect::<Vec<_>>(),
            [lab.hosts[i].name.as_str(), "bash"]
        );
    }
    // Each host's /run and private config folders are its own.
    lab.exec(0, "echo one > /run/marker");
    assert!(!lab.exec_output(1, "test -e /run/marker").status.success());
    if Path::new("/etc/redis").is_dir() {
        lab.exec(0, "echo '# host one' >> /etc/redis/redis.conf");
        assert!(
            !lab.exec(1, "cat /etc/redis/redis.conf")
                .contains("# host one")
        );
        let copy = std::fs::read_to_string(lab.private_path(0, "/etc/redis/redis.conf"))
            .expect("private copy");
        assert!(copy.contains("# host one"));
    }
    let pid1 = lab.hosts[0].pid1.expect("pid1");
    assert!(Path::new(&format!("/run/netns/{hub}")).exists());
    drop(lab);
    assert!(!Path::new(&format!("/run/netns/{hub}")).exists());
    std::thread::sleep(std::time::Duration::from_millis(100));
    let state = std::fs::read_to_string(format!("/proc/{pid1}/stat")).unwrap_or_default();
    assert!(
        state.is_empty() || state.contains(") Z"),
        "host PID 1 still runs: {state}"
    );
}

#[test]
fn a_namespace_host_is_told_to_run_init_scripts() {
    use comeback::inspect::manager::{FACTS_SCRIPT, Manager, decide, parse_facts};
    let lab = Lab::start_ns(1);
    let out = lab.ssh(0, FACTS_SCRIPT);
    assert!(out.status.success(), "{out:?}");
    let facts = parse_facts(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(facts.pid1, "bash");
    assert_eq!(decide(&facts), Ok(Manager::Sysv));
}

#[test]
fn a_systemd_host_boots_and_is_told_to_run_systemd() {
    use comeback::inspect::manager::{FACTS_SCRIPT, Manager, decide, parse_facts};
    let lab = Lab::start_systemd(1, &[]);
    let out = lab.ssh(0, FACTS_SCRIPT);
    assert!(out.status.success(), "{out:?}");
    let facts = parse_facts(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(facts.pid1, "systemd");
    assert_eq!(decide(&facts), Ok(Manager::Systemd));
    let out = lab.ssh(0, "systemctl is-system-running; hostname");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("running\n") || text.starts_with("degraded\n"),
        "{text}"
    );
    assert!(text.ends_with("host-1\n"), "{text}");
    let cgroups = lab.net.as_ref().expect("net").cgroups.clone();
    drop(lab);
    for c in cgroups {
        assert!(!c.exists(), "{} left behind", c.display());
    }
}
