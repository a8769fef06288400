//! Discovery benchmark on the namespace lab: 50 hosts, each its own network, pid and mount
//! namespaces with its own sshd and a real nginx started through its init script. Times side by
//! side in one run:
//! (a) `comeback discover` over the 50 hosts;
//! (b) the floor: OpenSSH alone opening the 50 ControlMasters in parallel;
//! (c) the slowest single host's discovery (`comeback discover` on a plan of that host alone).
//! Target: a <= 1.5 x (b + c). (a) and (b) alternate for a few rounds and the best of each is
//! compared, so a burst of load on the machine during one of them does not decide the ratio.
//! Prints, asserts nothing.
//!
//! Run as root: `cargo bench --bench discover`.

#[path = "../tests/lab/mod.rs"]
mod lab;

use lab::{Lab, SSH_PORT};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const HOSTS: usize = 50;
const ROUNDS: usize = 3;

/// `comeback discover PLAN` in the lab's hub, timed; the plan's services must come back.
fn discover(lab: &Lab, plan: &std::path::Path) -> (Duration, usize) {
    let start = Instant::now();
    let out = lab
        .comeback()
        .arg("discover")
        .arg(plan)
        .output()
        .expect("comeback discover");
    let elapsed = start.elapsed();
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        eprintln!("discover failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    (elapsed, text.matches("    hosts: [").count())
}

/// Seconds for OpenSSH alone to open one ControlMaster per host in parallel, from the hub.
fn openssh_connect(lab: &Lab) -> f64 {
    let ctl = tempfile::Builder::new()
        .prefix("dc")
        .tempdir_in("/tmp")
        .expect("control dir");
    let mut script = String::from("t0=$(date +%s.%N)\n");
    for h in &lab.hosts {
        script.push_str(&format!(
            "ssh -F {cfg} -i {id} -o UserKnownHostsFile={kh} -o StrictHostKeyChecking=yes -o BatchMode=yes \
             -o ControlMaster=yes -o ControlPersist=30 -o ControlPath={ctl}/%h -p {SSH_PORT} -fN {user}@{addr} &\n",
            cfg = lab.ssh_config.display(),
            id = lab.identity.display(),
            kh = lab.known_hosts.display(),
            ctl = ctl.path().display(),
            user = lab.user,
            addr = h.address,
        ));
    }
    script.push_str("wait\nt1=$(date +%s.%N)\necho \"$t0 $t1\"\n");
    for h in &lab.hosts {
        script.push_str(&format!(
            "ssh -o ControlPath={}/%h -O exit {}@{} 2>/dev/null\n",
            ctl.path().display(),
            lab.user,
            h.address
        ));
    }
    let net = lab.net.as_ref().expect("namespace lab");
    let out = net
        .command("bash")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .output()
        .expect("bash");
    let times: Vec<f64> = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .filter_map(|t| t.parse().ok())
        .collect();
    assert_eq!(times.len(), 2, "{out:?}");
    times[1] - times[0]
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    if !Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"))
    {
        println!("discover benchmark: needs root (namespace hosts); skipped");
        return;
    }
    println!(
        "comeback benchmark: discover over {HOSTS} namespace hosts (real sshd and nginx each)"
    );
    let setup = Instant::now();
    let lab = Lab::start_ns(HOSTS);
    for i in 0..HOSTS {
        lab.exec(i, "service nginx start >/dev/null");
    }
    for h in &lab.hosts {
        lab.net.as_ref().expect("net").wait_for_port(&h.address, 80);
    }
    println!("  lab ready in {:.1}s", setup.elapsed().as_secs_f64());

    let all = lab.plan_with("", "  {}\n");
    let all_text = std::fs::read_to_string(&all).expect("plan");
    let mut whole = Duration::MAX;
    let mut connect = f64::MAX;
    let mut services = 0;
    for round in 1..=ROUNDS {
        let (a, found) = discover(&lab, &all);
        let b = openssh_connect(&lab);
        println!(
            "  round {round}: discover {:.3}s, OpenSSH connects {b:.3}s",
            a.as_secs_f64()
        );
        whole = whole.min(a);
        connect = connect.min(b);
        services = found;
    }
    let mut slowest = Duration::ZERO;
    let hosts_section_end = all_text.find("ssh:\n").expect("ssh section");
    for (i, h) in lab.hosts.iter().enumerate() {
        // A plan of this host alone: its own line of the hosts section.
        let line = all_text
            .lines()
            .find(|l| l.starts_with(&format!("  {}: ", h.name)))
            .expect("host line");
        let one = format!("hosts:\n{line}\n{}", &all_text[hosts_section_end..]);
        let path = lab.root.path().join(format!("one-{i}.yaml"));
        std::fs::write(&path, one).expect("plan");
        let (t, _) = discover(&lab, &path);
        slowest = slowest.max(t);
    }
    let a = whole.as_secs_f64();
    let b = connect;
    let c = slowest.as_secs_f64();
    println!(
        "  (a) comeback discover, {HOSTS} hosts (best)     {a:>7.3}s   ({services} service found)"
    );
    println!("  (b) OpenSSH opens {HOSTS} ControlMasters (best)  {b:>7.3}s");
    println!("  (c) slowest single host's discovery alone       {c:>7.3}s");
    println!("  a / (b + c) = {:.2} (target <= 1.5)", a / (b + c));
}
