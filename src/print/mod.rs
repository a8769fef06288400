//! Printers: turn plans, graphs and run events into what the operator reads. Nothing else prints.

pub mod graph;
pub mod plan;
pub mod progress;
pub mod units;

use std::time::Duration;

/// `1 host`, `2 hosts`: a count with its noun.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A duration as an operator reads it: `150ms`, `4.2s`, `2m05s`.
pub fn duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms}ms")
    } else if ms < 60_000 {
        format!("{:.1}s", d.as_secs_f64())
    } else {
        format!("{}m{:02}s", d.as_secs() / 60, d.as_secs() % 60)
    }
}
