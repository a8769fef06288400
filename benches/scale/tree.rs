//! The memory of comeback and every process it starts, sampled from /proc every 100 ms: the
//! sum of the resident sets of comeback and of each `ssh` whose command line names comeback's
//! private TMPDIR (its masters, which `ssh -f` detaches from comeback's process tree). A sum of
//! RSS counts shared pages (libc, ssh's text) once per process: an upper bound.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

pub struct Sampler {
    done: Arc<AtomicBool>,
    thread: JoinHandle<Peak>,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Peak {
    /// Bytes: the largest sum seen.
    pub bytes: u64,
    /// Processes counted at that moment (comeback included).
    pub processes: usize,
    /// The most `ssh` processes seen at one time.
    pub most_ssh: usize,
    /// Bytes: comeback's own largest resident set.
    pub own: u64,
}

/// Starts sampling `pid` and the processes whose command line holds `marker`.
pub fn sample(pid: u32, marker: String) -> Sampler {
    let done = Arc::new(AtomicBool::new(false));
    let stop = done.clone();
    let thread = std::thread::spawn(move || {
        let page = 4096u64;
        // pid -> ours or not, decided once per process (forgotten when the pid is gone).
        let mut known: HashMap<u32, bool> = HashMap::new();
        let mut peak = Peak::default();
        while !stop.load(Ordering::Relaxed) {
            let mut listed = Vec::new();
            if let Ok(entries) = std::fs::read_dir("/proc") {
                for e in entries.flatten() {
                    if let Some(p) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) {
                        listed.push(p);
                    }
                }
            }
            listed.sort_unstable();
            known.retain(|p, _| listed.binary_search(p).is_ok());
            let (mut bytes, mut processes, mut ssh) = (0u64, 0usize, 0usize);
            for p in listed {
                let ours = *known.entry(p).or_insert_with(|| {
                    p == pid
                        || std::fs::read(format!("/proc/{p}/cmdline"))
                            .is_ok_and(|c| String::from_utf8_lossy(&c).contains(&marker))
                });
                if !ours {
                    continue;
                }
                let Ok(statm) = std::fs::read_to_string(format!("/proc/{p}/statm")) else {
                    continue;
                };
                let Some(resident) = statm
                    .split_whitespace()
                    .nth(1)
                    .and_then(|r| r.parse::<u64>().ok())
                else {
                    continue;
                };
                if resident == 0 {
                    // A zombie: no memory, and no longer a connection.
                    continue;
                }
                bytes += resident * page;
                processes += 1;
                if p == pid {
                    peak.own = peak.own.max(resident * page);
                } else {
                    ssh += 1;
                }
            }
            if bytes > peak.bytes {
                (peak.bytes, peak.processes) = (bytes, processes);
            }
            peak.most_ssh = peak.most_ssh.max(ssh);
            std::thread::sleep(Duration::from_millis(100));
        }
        peak
    });
    Sampler { done, thread }
}

impl Sampler {
    pub fn stop(self) -> Peak {
        self.done.store(true, Ordering::Relaxed);
        self.thread.join().unwrap_or_default()
    }
}
