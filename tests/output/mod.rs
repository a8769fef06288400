//! What the end-to-end tests read from a finished `comeback`: its exit code and its stderr,
//! with the stderr shown whenever an assertion on them fails.

#![allow(dead_code)] // each test crate uses its own subset

use std::process::Output;

/// Asserts how `comeback` exited and returns its stderr.
#[track_caller]
pub fn exited(out: &Output, code: i32) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{err}");
    err
}

/// Asserts that `text` holds `needle`, showing the whole text when it does not.
#[track_caller]
pub fn assert_has(text: &str, needle: &str) {
    assert!(text.contains(needle), "expected {needle:?} in:\n{text}");
}
