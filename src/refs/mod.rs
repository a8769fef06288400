//! The config-reference scanner: a pure function from a config file's text to the hosts it
//! names, without being told the format. It is what finds the Galera node removed a year ago.

mod context;
mod scan;
mod tokens;

pub use scan::{ScanOptions, scan, url_authorities};

use serde::Serialize;

/// One host named by a config file. `text` is what matched, with any secret masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    pub host: String,
    pub port: Option<u16>,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub text: String,
}
