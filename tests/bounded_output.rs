//! Remote output and HTTP bodies are bounded as they arrive: a restart that prints 1.5 GB over
//! real SSH, and a health endpoint that answers 128 MiB, leave comeback's peak memory small.
//! This binary holds only these tests, so the peak of its children is comeback's.

mod lab;
mod output;

use lab::Lab;
use output::{assert_has, exited};
use std::io::{Read, Write};

/// The largest peak resident memory of any child this test binary waited for, in MiB.
fn children_peak_mib() -> i64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes one rusage into the struct it is given.
    let done = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(done, 0);
    usage.ru_maxrss / 1024
}

/// comeback once held all of it: 1.6 GB of RSS for this restart.
#[test]
fn a_restart_printing_gigabytes_leaves_comebacks_memory_flat() {
    let lab = Lab::start(1);
    let plan = lab.plan(
        "  noisy:\n    hosts: [host-1]\n    restart: \"head -c 1500000000 /dev/zero; echo THE-END; exit 3\"\n    restart_timeout: 60s\n    health: [{ tcp: 9 }]\n",
    );
    let started = std::time::Instant::now();
    let err = exited(&lab.run("run", &plan, &["--yes", "--allow-unhealthy"]), 1);
    let took = started.elapsed();
    assert_has(&err, "the restart command exited 3");
    assert_has(&err, "THE-END");
    let peak = children_peak_mib();
    eprintln!("1.5 GB of restart output over SSH: comeback's peak RSS {peak} MiB, {took:?}");
    assert!(peak < 100, "comeback's peak RSS was {peak} MiB");
}

/// comeback once read the whole body before searching it: 3.1 GB for a 4 GiB response.
#[test]
fn a_health_endpoint_answering_128_mib_is_searched_as_it_arrives() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    // Read twice in preflight budgets of 10 s on a loaded CI machine, and still past the bound.
    let size: usize = 128 << 20;
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                size + 5
            );
            let zeros = vec![b'0'; 1 << 20];
            for _ in 0..size >> 20 {
                if stream.write_all(&zeros).is_err() {
                    break;
                }
            }
            // The needle is the body's last bytes: the whole body is searched.
            let _ = stream.write_all(b"ready");
        }
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("plan.yaml");
    std::fs::write(
        &plan,
        format!(
            "hosts:\n  here: {{ connection: local }}\nservices:\n  big:\n    hosts: [here]\n    restart: \"true\"\n    health:\n      - {{ http: \"http://127.0.0.1:{port}/\", body: ready, timeout: 60s, interval: 10s, settle: 0s }}\n"
        ),
    )
    .expect("plan");
    let started = std::time::Instant::now();
    let out = std::process::Command::new(lab::comeback_bin())
        .current_dir(dir.path())
        .args(["run", "--yes"])
        .arg(&plan)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("runs");
    let took = started.elapsed();
    exited(&out, 0);
    let peak = children_peak_mib();
    eprintln!("a 128 MiB health body: comeback's peak RSS {peak} MiB, {took:?}");
    assert!(peak < 100, "comeback's peak RSS was {peak} MiB");
}
