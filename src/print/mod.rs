//! Printers: turn plans, graphs and run events into what the operator reads. Nothing else prints.

pub mod graph;
pub mod plan;
pub mod progress;
pub mod units;
