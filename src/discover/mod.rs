//! `comeback discover`: from a list of hosts to a draft plan of what really runs there. Each
//! host is read (read-only, under a deadline) over the same SSH connections a run uses; the
//! OS-specific reading lives in [`facts`] (one command set and parser per OS, host facts out),
//! the pure building of the draft from those facts beside it.

pub mod clusters;
mod cycles;
pub mod draft;
pub mod facts;
pub mod identify;
mod markdown;
pub mod plumbing;
mod scan;
pub mod yaml;

pub use draft::{Draft, build};
pub use markdown::markdown;
pub use scan::HostScan;
use scan::scan_host;

use crate::plan::model::{HostId, Model};
use crate::transport::{Fleet, Transport};
use futures_util::StreamExt;
use std::time::Duration;

/// Every host of the plan read at once, each as soon as its own connection is up (a host does
/// not wait for the slowest to connect): the scans of the hosts that answered, and why each of
/// the others could not be read. `on_host` hears of each host as it is done.
pub async fn discover(
    model: &Model,
    deadline: Duration,
    mut on_host: impl FnMut(HostId, Result<&HostScan, &str>),
) -> (Vec<(HostId, HostScan)>, Vec<(HostId, String)>) {
    let mut reading = futures_util::stream::iter((0..model.hosts.len()).map(|h| async move {
        let (fleet, failed) = Fleet::connect(model, &[h], |_, _| {}).await;
        let result = match failed.into_iter().next() {
            Some((_, e)) => Err(e.to_string()),
            None => scan_bounded(&fleet, h, deadline).await,
        };
        fleet.close().await;
        (h, result)
    }))
    .buffer_unordered(model.ssh.fan_out());
    let mut scans = Vec::new();
    let mut failures = Vec::new();
    while let Some((h, result)) = reading.next().await {
        record(h, result, &mut on_host, &mut scans, &mut failures);
    }
    scans.sort_by_key(|(h, _)| *h);
    failures.sort_by_key(|(h, _)| *h);
    (scans, failures)
}

/// One host's scan, bounded by `deadline` (the host enforces it on every command; this bound
/// catches a host that stops answering altogether).
async fn scan_bounded<T: Transport>(
    transport: &T,
    h: HostId,
    deadline: Duration,
) -> Result<HostScan, String> {
    let bound = deadline + crate::transport::KILL_GRACE * 2;
    match tokio::time::timeout(bound, scan_host(transport, h, deadline)).await {
        Ok(result) => result,
        Err(_) => Err(format!("no answer within {bound:?}")),
    }
}

fn record(
    h: HostId,
    result: Result<HostScan, String>,
    on_host: &mut impl FnMut(HostId, Result<&HostScan, &str>),
    scans: &mut Vec<(HostId, HostScan)>,
    failures: &mut Vec<(HostId, String)>,
) {
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
