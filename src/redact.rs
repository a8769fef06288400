//! Secrets never reach output: passwords in URLs and `password=` pairs are masked before any
//! text from a plan, a config or a remote host is shown, logged or written to a report.

use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

pub const MASK: &str = "****";

static URL_PASSWORD: LazyLock<Regex> = LazyLock::new(|| {
    // scheme://user:password@ — the password is anything up to the last `@` before the host.
    Regex::new(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s:/@]*):[^\s/]+@").expect("valid regex")
});
static KEY_PASSWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(password|passwd|pwd|secret|token|api_key|apikey|auth)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,]+)"#)
        .expect("valid regex")
});

/// `text` with every URL password and `password=value` pair masked.
pub fn secrets(text: &str) -> Cow<'_, str> {
    let step = URL_PASSWORD.replace_all(text, format!("${{1}}:{MASK}@"));
    match KEY_PASSWORD.replace_all(&step, format!("${{1}}${{2}}{MASK}")) {
        Cow::Borrowed(_) => step,
        Cow::Owned(s) => Cow::Owned(s),
    }
}

/// A reqwest error without its URL (which may carry credentials).
pub fn url_error(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else {
        "request failed"
    };
    let mut detail = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {}", secrets(&detail))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_url_passwords_and_key_values() {
        assert_eq!(
            secrets("DATABASE_URL=postgres://shop:s3cr3t@db-01:5432/shop"),
            "DATABASE_URL=postgres://shop:****@db-01:5432/shop"
        );
        assert_eq!(
            secrets("host=db-01 password=hunter2 user=x"),
            "host=db-01 password=**** user=x"
        );
        assert_eq!(
            secrets("redis://:p@ss@cache:6379"),
            "redis://:****@cache:6379"
        );
        assert_eq!(secrets("nothing to hide"), "nothing to hide");
    }
}
