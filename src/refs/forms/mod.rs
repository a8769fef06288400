//! The forms a host reference takes, one family per file: each adds methods to `Line` that
//! find its form in the line, claim the span and add the hosts. The engine (`scan.rs`) decides
//! which run on a line and in which order.

mod bracketed;
mod conninfo;
pub(super) mod env_pairs;
pub(super) mod erlang_nodes;
mod image;
mod ipv6;
mod jdbc;
mod members;
mod patterns;
mod ports;
mod redis;
mod remote_paths;
mod rsyslog;
mod segments;
mod syslog_ng;
mod templates;
mod urls;
mod values;
mod words;
