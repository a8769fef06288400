//! Secrets never reach output: passwords in URLs and `password=` pairs are masked before any
//! text from a plan, a config or a remote host is shown, logged or written to a report.

use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

pub const MASK: &str = "****";

static KEY_PASSWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b([\w.-]*?(?:password|passwd|pwd|secret|token|api_key|apikey|auth))(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,]+)"#)
        .expect("valid regex")
});

/// `text` with every URL credential and `password=value` pair masked.
pub fn secrets(text: &str) -> Cow<'_, str> {
    // Most text holds no secret at all; the regexes run only where one could be.
    let credential_url = memchr::memchr(b'@', text.as_bytes()).is_some() && text.contains("://");
    let key_value = may_hold_key_secret(text);
    if !credential_url && !key_value {
        return Cow::Borrowed(text);
    }
    let mut out = Cow::Borrowed(text);
    if credential_url {
        out = Cow::Owned(url_credentials(text));
    }
    if key_value
        && let Cow::Owned(replaced) = KEY_PASSWORD.replace_all(&out, format!("${{1}}${{2}}{MASK}"))
    {
        out = Cow::Owned(replaced);
    }
    out
}

/// Masks the user info of every URL: `user:password@` keeps the user, a lone `token@` (Sentry
/// DSNs, Git tokens) is all secret.
fn url_credentials(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (_, authority) in crate::refs::url_authorities(text) {
        let Some(at) = text[authority.clone()].rfind('@') else {
            continue;
        };
        let userinfo = authority.start..authority.start + at;
        let secret_from = match text[userinfo.clone()].find(':') {
            Some(colon) => userinfo.start + colon + 1,
            None => userinfo.start,
        };
        if secret_from < userinfo.end {
            out.push_str(&text[copied..secret_from]);
            out.push_str(MASK);
            copied = userinfo.end;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Whether some `=` or `:` follows a word that ends like a secret's key (`password`, `db_pwd`,
/// `api_token`): looks back a few bytes from each separator. It runs on every reference found.
fn may_hold_key_secret(text: &str) -> bool {
    const ENDINGS: [&[u8]; 8] = [
        b"password",
        b"passwd",
        b"pwd",
        b"secret",
        b"token",
        b"key",
        b"auth",
        b"apikey",
    ];
    let b = text.as_bytes();
    memchr::memchr2_iter(b'=', b':', b).any(|separator| {
        let key_end = b[..separator]
            .iter()
            .rposition(|c| !c.is_ascii_whitespace())
            .map_or(0, |p| p + 1);
        let key = &b[key_end.saturating_sub(8)..key_end];
        // The last letters of the endings: most keys are ruled out by that one byte.
        key.last()
            .is_some_and(|c| matches!(c | 0x20, b'd' | b't' | b'n' | b'y' | b'h'))
            && ENDINGS
                .iter()
                .any(|e| key.len() >= e.len() && key[key.len() - e.len()..].eq_ignore_ascii_case(e))
    })
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
        assert_eq!(
            secrets("DB_PASSWORD=hunter2 MQ_TOKEN: abc"),
            "DB_PASSWORD=**** MQ_TOKEN: ****"
        );
        assert_eq!(
            secrets("https://abc123@sentry.example.com/4"),
            "https://****@sentry.example.com/4"
        );
    }
}
