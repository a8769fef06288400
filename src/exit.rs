//! The process exit codes: part of the contract scripts rely on.

/// All good.
pub const OK: i32 = 0;
/// A step failed and the run halted, or a dry run found a failing check.
pub const STEP_FAILED: i32 = 1;
/// Invalid plan or usage.
pub const INVALID: i32 = 2;
/// Stale config references found.
pub const STALE_REFERENCES: i32 = 3;
/// Another run holds the lock.
pub const LOCKED: i32 = 4;
/// Interrupted by the operator (Ctrl-C).
pub const INTERRUPTED: i32 = 130;
