//! Printers: turn plans, graphs and run events into what the operator reads. Nothing else prints.

pub(crate) mod clusters;
pub(crate) mod plan;
pub(crate) mod progress;
pub(crate) mod proof;
