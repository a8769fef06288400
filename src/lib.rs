//! comeback: restart every service of an inherited infrastructure, one at a time, in dependency
//! order, and prove that each one comes back before touching the next.
//!
//! The library is what the `comeback` binary is built on. Its public part is small on purpose:
//! - [`plan`]: load and validate a plan file ([`plan::load()`]), order its steps
//!   ([`plan::plan()`]);
//! - [`refs`]: the config-reference scanner ([`refs::scan`]);
//! - [`exec`]: the events of a run ([`exec::Event`], [`exec::Record`]), a consumer of your own
//!   ([`exec::Consumer`]), and a way to run a walk with it ([`exec::Session`]);
//! - [`inspect`]: what the events say about a host (references, processes, drift);
//! - [`discover`]: what runs on a host and what talks to what, as a draft plan, from the facts
//!   it reads from each host ([`discover::facts`]);
//! - [`human`]: how values are written for people; [`exit`]: the exit codes.
//!
//! `examples/` shows each in a few lines.

#![warn(unreachable_pub, missing_docs)]

pub mod cluster;
pub mod discover;
pub mod exec;
pub mod exit;
pub mod human;
pub mod inspect;
pub mod plan;
pub mod refs;

#[doc(hidden)]
pub mod cli;

pub(crate) mod checks;
pub(crate) mod demo;
pub(crate) mod diagram;
pub(crate) mod eta;
pub(crate) mod import;
pub(crate) mod journal;
pub(crate) mod local_file;
pub(crate) mod notify;
pub(crate) mod print;
pub(crate) mod quote;
pub(crate) mod redact;
#[doc(hidden)]
pub mod replay;
pub(crate) mod report;
pub(crate) mod run_state;
pub(crate) mod state_files;
pub(crate) mod transport;
pub(crate) mod url;
pub(crate) mod visible;
