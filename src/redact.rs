//! Secrets never reach output: passwords in URLs, values of keys named like secrets (`password=`,
//! `secret_key =`, `requirepass X`) and of secret flags (`--password X`, `-pX` of mysql, `-a X`
//! of redis-cli) are masked before any text from a plan, a config or a remote host is shown,
//! logged or written to a journal or a report. Every event is masked once, when it is emitted.

use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

pub(crate) const MASK: &str = "****";

static KEY_PASSWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b([\w.-]*?(?:password|passwd|pwd|pass|secret|token|key|auth|credentials?))(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,'"]+)"#)
        .expect("valid regex")
});

/// A config directive named like a secret, its value after blanks: `requirepass X` at the
/// start of a line or after a `: ` (command output quoted in a message), Redis's anywhere.
static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?im)((?:^|:[ \t]+)[ \t]*[\w.-]*(?:password|passwd|pass|secret|token|auth)|\b(?:requirepass|masterauth))([ \t]+)("[^"]*"|'[^']*'|[^\s]+)"#)
        .expect("valid regex")
});

/// A command-line flag named like a secret, and its value: `--password X`, `--token=X`.
static FLAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(\s--?[\w-]*(?:password|passwd|pass|secret|token|auth|key|credentials?))(=|\s+)("[^"]*"|'[^']*'|[^\s;&|'"]+)"#)
        .expect("valid regex")
});

/// The short flags that carry a password: `mysql -pX`, `redis-cli -a X`.
static SHORT_FLAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)((?:mysql|mariadb)[\w-]*\b[^\n;&|]*?\s-p)([^\s;&|]+)|(redis-cli\b[^\n;&|]*?\s-a\s+)([^\s;&|]+)"#)
        .expect("valid regex")
});

/// Words without which none of the key, directive or flag rules can match.
static MAY_HOLD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)pass|pwd|secret|token|key|auth|credential|-p|-a").expect("valid regex")
});

/// `text` with every URL credential and `password=value` pair masked.
pub(crate) fn secrets(text: &str) -> Cow<'_, str> {
    // Most text holds no secret at all; the regexes run only where one could be.
    let credential_url = memchr::memchr(b'@', text.as_bytes()).is_some() && text.contains("://");
    let key_value = may_hold_key_secret(text);
    let named = MAY_HOLD.is_match(text);
    if !credential_url && !key_value && !named {
        return Cow::Borrowed(text);
    }
    let mut out = Cow::Borrowed(text);
    if credential_url {
        out = Cow::Owned(url_credentials(text));
    }
    let mask = format!("${{1}}${{2}}{MASK}");
    let mut rules = vec![&*KEY_PASSWORD];
    if named {
        rules.extend([&*DIRECTIVE, &*FLAG]);
    }
    for rule in rules {
        if let Cow::Owned(replaced) = rule.replace_all(&out, mask.as_str()) {
            out = Cow::Owned(replaced);
        }
    }
    if named
        && let Cow::Owned(replaced) = SHORT_FLAG.replace_all(&out, |c: &regex::Captures| {
            let flag = c.get(1).or(c.get(3)).map_or("", |m| m.as_str());
            format!("{flag}{MASK}")
        })
    {
        out = Cow::Owned(replaced);
    }
    out
}

/// Every string in `value` (keys stay), masked: JSON stays JSON.
pub(crate) fn json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) => {
            if let Cow::Owned(masked) = secrets(s) {
                *s = masked;
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(json),
        serde_json::Value::Object(map) => map.values_mut().for_each(json),
        _ => {}
    }
}

/// `value` with every string masked, through its JSON form; as it was if that fails.
pub(crate) fn masked<T: serde::Serialize + serde::de::DeserializeOwned>(value: T) -> T {
    let Ok(mut json_value) = serde_json::to_value(&value) else {
        return value;
    };
    json(&mut json_value);
    serde_json::from_value(json_value).unwrap_or(value)
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
    const ENDINGS: [&[u8]; 10] = [
        b"password",
        b"passwd",
        b"pwd",
        b"pass",
        b"secret",
        b"token",
        b"key",
        b"auth",
        b"credential",
        b"credentials",
    ];
    let b = text.as_bytes();
    memchr::memchr2_iter(b'=', b':', b).any(|separator| {
        let key_end = b[..separator]
            .iter()
            .rposition(|c| !c.is_ascii_whitespace())
            .map_or(0, |p| p + 1);
        let key = &b[key_end.saturating_sub(11)..key_end];
        // The last letters of the endings: most keys are ruled out by that one byte.
        key.last()
            .is_some_and(|c| matches!(c | 0x20, b'd' | b't' | b'n' | b'y' | b'h' | b's' | b'l'))
            && ENDINGS
                .iter()
                .any(|e| key.len() >= e.len() && key[key.len() - e.len()..].eq_ignore_ascii_case(e))
    })
}

/// A reqwest error without its URL (which may carry credentials).
pub(crate) fn url_error(e: &reqwest::Error) -> String {
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

    #[test]
    fn masks_secrets_by_key_names_directives_and_flags() {
        for (text, shown) in [
            ("requirepass hunter2", "requirepass ****"),
            (
                "  masterauth hunter2\nport 6379",
                "  masterauth ****\nport 6379",
            ),
            ("secret_key = hunter2", "secret_key = ****"),
            ("exit 1: requirepass hunter2", "exit 1: requirepass ****"),
            ("echo masterauth hunter2", "echo masterauth ****"),
            ("aws_credentials=hunter2", "aws_credentials=****"),
            (
                "mysqladmin --password hunter2 ping",
                "mysqladmin --password **** ping",
            ),
            (
                "app --db-password=hunter2 start",
                "app --db-password=**** start",
            ),
            (
                "mysql -uroot -phunter2 -e 'select 1'",
                "mysql -uroot -p**** -e 'select 1'",
            ),
            (
                "redis-cli -h db -a hunter2 ping",
                "redis-cli -h db -a **** ping",
            ),
            (
                "curl -H 'X-Auth-Token: hunter2' http://x",
                "curl -H 'X-Auth-Token: ****' http://x",
            ),
        ] {
            assert_eq!(secrets(text), shown, "{text}");
        }
        // What is not a secret stays as written.
        for text in [
            "psql -p 5432 -h db",
            "ls -a /tmp",
            "port 6379",
            "upstream = db:5432",
            "the bypass mode is on",
        ] {
            assert_eq!(secrets(text), text);
        }
    }

    #[test]
    fn json_strings_are_masked_and_stay_json() {
        let mut value = serde_json::json!({
            "restart": "systemctl restart x password=hunter2",
            "health": [{"http": "http://admin:hunter2@web/health"}],
            "n": 1,
        });
        json(&mut value);
        let text = value.to_string();
        assert!(!text.contains("hunter2"), "{text}");
        assert_eq!(value["restart"], "systemctl restart x password=****");
        assert_eq!(value["health"][0]["http"], "http://admin:****@web/health");
    }
}
