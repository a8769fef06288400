//! comeback: restart every service of an inherited infrastructure, one at a time, in dependency
//! order, and prove that each one comes back before touching the next.

pub mod cli;
pub mod exit;
pub mod plan;
pub mod print;
