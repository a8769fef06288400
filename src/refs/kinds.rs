//! `context::classify` remembered for the length of a scan, for the forms that classify a key
//! they find themselves (a pair's key in a value, an attribute before a URL, a key before an
//! address): keys repeat from line to line, and one lookup costs less than classifying again.

use super::context::{self, KeyKind};
use rustc_hash::FxHashMap;
use std::cell::RefCell;

/// Keys remembered at most: a text of distinct keys (generated, or hostile) stays small.
const LIMIT: usize = 4096;

thread_local! {
    /// The kinds of the keys classified since the scan began.
    static KINDS: RefCell<FxHashMap<Box<str>, KeyKind>> = RefCell::default();
}

/// Forgets the keys of the scan before: a scan's memory does not outlive it.
pub(super) fn reset() {
    KINDS.with_borrow_mut(FxHashMap::clear);
}

/// `context::classify(key)`, looked up when the scan already classified `key`.
pub(super) fn classify(key: &str) -> KeyKind {
    KINDS.with_borrow_mut(|kinds| {
        if let Some(&kind) = kinds.get(key) {
            return kind;
        }
        let kind = context::classify(key);
        if kinds.len() < LIMIT {
            kinds.insert(key.into(), kind);
        }
        kind
    })
}
