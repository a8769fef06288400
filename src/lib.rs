//! comeback: restart every service of an inherited infrastructure, one at a time, in dependency
//! order, and prove that each one comes back before touching the next.

pub mod checks;
pub mod cli;
pub mod demo;
pub mod discover;
pub mod eta;
pub mod exec;
pub mod exit;
pub mod import;
pub mod inspect;
pub mod journal;
pub mod local_file;
pub mod notify;
pub mod plan;
pub mod print;
pub mod redact;
pub mod refs;
pub mod report;
pub mod transport;
