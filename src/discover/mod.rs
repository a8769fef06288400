//! `comeback discover`: from a list of hosts to a draft plan of what really runs there. Each
//! host is read (read-only, under a deadline) over the same SSH connections a run uses; the
//! OS-specific reading lives in `inspect::facts`, the pure building of the draft here.

pub mod cycles;
pub mod draft;
pub mod identify;
pub mod report;
pub mod scan;
pub mod yaml;

pub use draft::{Draft, build};
pub use scan::{HostScan, scan_host};

use crate::plan::model::{HostId, Model};
use crate::transport::{Fleet, Transport};
use futures_util::StreamExt;
use std::time::Duration;

/// Every host of the plan read at once: the scans of the hosts that answered, and why each of
/// the others could not be read. `on_host` hears of each host as it is done.
pub async fn discover(
    model: &Model,
    deadline: Duration,
    mut on_host: impl FnMut(HostId, Result<&HostScan, &str>),
) -> (Vec<(HostId, HostScan)>, Vec<(HostId, String)>) {
    let hosts: Vec<HostId> = (0..model.hosts.len()).collect();
    let (fleet, failed) = Fleet::connect(model, &hosts, |_, _| {}).await;
    let mut failures: Vec<(HostId, String)> = Vec::new();
    for (h, e) in failed {
        let why = e.to_string();
        on_host(h, Err(&why));
        failures.push((h, why));
    }
    let connected: Vec<HostId> = hosts
        .into_iter()
        .filter(|h| !failures.iter().any(|(f, _)| f == h))
        .collect();
    let scans = scan_all(
        &fleet,
        &connected,
        deadline,
        model.ssh.connect_concurrency,
        &mut on_host,
        &mut failures,
    )
    .await;
    fleet.close().await;
    failures.sort_by_key(|(h, _)| *h);
    (scans, failures)
}

/// Scans `hosts` concurrently over `transport`, each bounded by `deadline` (the host enforces
/// it on every command; this bound catches a host that stops answering altogether).
pub async fn scan_all<T: Transport>(
    transport: &T,
    hosts: &[HostId],
    deadline: Duration,
    concurrency: usize,
    on_host: &mut impl FnMut(HostId, Result<&HostScan, &str>),
    failures: &mut Vec<(HostId, String)>,
) -> Vec<(HostId, HostScan)> {
    let mut running = futures_util::stream::iter(hosts.iter().map(|&h| async move {
        let bound = deadline + crate::transport::KILL_GRACE * 2;
        let result = match tokio::time::timeout(bound, scan_host(transport, h, deadline)).await {
            Ok(result) => result,
            Err(_) => Err(format!("no answer within {bound:?}")),
        };
        (h, result)
    }))
    .buffer_unordered(concurrency.max(1));
    let mut scans = Vec::new();
    while let Some((h, result)) = running.next().await {
        match result {
            Ok(scan) => {
                on_host(h, Ok(&scan));
                scans.push((h, scan));
            }
            Err(why) => {
                on_host(h, Err(&why));
                failures.push((h, why));
            }
        }
    }
    scans.sort_by_key(|(h, _)| *h);
    scans
}
