//! Secrets never reach output: passwords in URLs, values of keys named like secrets (`password=`,
//! `secret_key =`, `requirepass X`), of credential headers (`Authorization: Bearer X`) and of
//! secret flags (`--password X`, `-pX` of mysql, `-a X` of redis-cli, `curl -u user:X`,
//! `sshpass -p X`, `openssl -k X`), and the values of the plan's vars named like secrets
//! (`db_password`), are masked before any text is shown, logged, written to a journal, a report
//! or a host's pid file. One function, [`secrets`], does it all; every event is masked once,
//! when it is emitted, each secret found in one of its fields masked in all of them.

use regex::Regex;
use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LazyLock, RwLock};

pub(crate) const MASK: &str = "****";

/// Values known to be secret wherever they appear: the plan's secret vars.
static KNOWN: RwLock<Vec<String>> = RwLock::new(Vec::new());
/// Whether `KNOWN` holds any: asked of every reference the scanner finds, where even an
/// uncontended lock shows.
static ANY_KNOWN: AtomicBool = AtomicBool::new(false);

/// Shorter values are not masked wherever they appear: masking every `1` or `on` of every
/// output would hide more than it protects.
const SHORTEST_KNOWN: usize = 4;

/// Whether a key, header or variable named `name` holds a secret (`db_password`, `API_TOKEN`,
/// `X-Auth-Key`, `Authorization`).
pub(crate) fn secret_name(name: &str) -> bool {
    const ENDINGS: [&str; 11] = [
        "password",
        "passwd",
        "pwd",
        "pass",
        "secret",
        "token",
        "key",
        "auth",
        "credential",
        "credentials",
        "authorization",
    ];
    // Compared in place, case folded byte by byte: the scanner asks of every key before a
    // host it finds, and a lowered copy of each cost an allocation.
    let name = name.as_bytes();
    let ends_with = |e: &str| {
        name.len() >= e.len() && name[name.len() - e.len()..].eq_ignore_ascii_case(e.as_bytes())
    };
    let contains = |w: &str| {
        name.windows(w.len())
            .any(|window| window.eq_ignore_ascii_case(w.as_bytes()))
    };
    ENDINGS.iter().any(|e| ends_with(e))
        || ["password", "secret", "token"].iter().any(|w| contains(w))
}

/// Masks `value` wherever it appears from now on, in every text [`secrets`] is given.
pub(crate) fn remember(value: &str) {
    if value.chars().count() < SHORTEST_KNOWN {
        return;
    }
    let mut known = KNOWN.write().unwrap_or_else(|e| e.into_inner());
    if !known.iter().any(|k| k == value) {
        known.push(value.to_string());
        ANY_KNOWN.store(true, Ordering::Release);
        // The longest first: a secret that contains another is masked whole.
        known.sort_by_key(|k| std::cmp::Reverse(k.len()));
    }
}

/// Remembers the plan's secrets: the values of vars and webhook headers named like secrets.
pub(crate) fn remember_plan(model: &crate::plan::Model) {
    for host in &model.hosts {
        for (name, value) in &host.vars {
            if secret_name(name) {
                remember(value);
            }
        }
    }
    for notify in &model.notify {
        for (name, value) in &notify.headers {
            if secret_name(name) {
                remember(value);
            }
        }
    }
}

/// Whether [`secrets`] could change `text` or any part of it: false for most config lines,
/// whose parts then need no masking (every rule that matches a part matches the whole, and
/// no secret is remembered). The scanner asks of each reference's text.
pub(crate) fn may_hold_secret(text: &str) -> bool {
    ANY_KNOWN.load(Ordering::Acquire) || may_match_a_rule(text)
}

/// `separated(text) && Hints::of(text).any()`, with ASCII text read once for what each hint
/// needs (an `@`, a `=` or `:`, white space): most texts the scanner asks of (`10.0.0.5:5432`,
/// `db-01.example.com`) have none but a `:`, and skip the hints' own passes.
fn may_match_a_rule(text: &str) -> bool {
    if !text.is_ascii() {
        return separated(text) && Hints::of(text).any();
    }
    let seen = text.bytes().fold(0, |seen, b| seen | SEEN[b as usize]);
    if seen & (PAIR | BLANK | VERTICAL_TAB) == 0 {
        return false;
    }
    may_hold_url_secret(text, seen & AT != 0)
        || (seen & PAIR != 0 && may_hold_key_secret(text))
        || may_name_ascii_secret(text.as_bytes(), seen & BLANK != 0)
}

/// Whether a URL of `text` may hold a secret (`at`: whether `text` has an `@`): in its user
/// info, or in its path (a webhook's, a token's).
fn may_hold_url_secret(text: &str, at: bool) -> bool {
    text.contains("://")
        && (at
            || memchr::memmem::find(text.as_bytes(), b"hook").is_some()
            || crate::url::authorities(text).any(|(_, a)| webhook_path(text, a.end).is_some()))
}

/// `SEEN`'s bits: what a byte is, for `may_match_a_rule`.
const PAIR: u8 = 1;
/// White space as `u8::is_ascii_whitespace` reads it.
const BLANK: u8 = 2;
/// Separates as white space does for `separated`, though `is_ascii_whitespace` says no.
const VERTICAL_TAB: u8 = 4;
const AT: u8 = 8;

/// Per byte, its `PAIR`, `BLANK`, `VERTICAL_TAB` or `AT` bit.
static SEEN: [u8; 256] = {
    let mut table = [0; 256];
    table[b'=' as usize] = PAIR;
    table[b':' as usize] = PAIR;
    table[b' ' as usize] = BLANK;
    table[b'\t' as usize] = BLANK;
    table[b'\n' as usize] = BLANK;
    table[b'\r' as usize] = BLANK;
    table[0x0c] = BLANK;
    table[0x0b] = VERTICAL_TAB;
    table[b'@' as usize] = AT;
    table
};

/// Whether `text` has what every rule needs before the value it masks: `=` or `:` (a key, a
/// header, a URL's user info) or white space (a directive, a flag). A host name or an address
/// alone has none, and is ruled out in one pass over its bytes.
fn separated(text: &str) -> bool {
    // Beyond ASCII, `\s` also matches other spaces: left to the rules.
    !text.is_ascii()
        || text
            .bytes()
            .any(|b| matches!(b, b'=' | b':' | b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
}

/// `text` with every known secret masked.
fn known(text: &str) -> Cow<'_, str> {
    let known = KNOWN.read().unwrap_or_else(|e| e.into_inner());
    let mut out = Cow::Borrowed(text);
    for secret in known.iter() {
        if out.contains(secret.as_str()) {
            out = Cow::Owned(out.replace(secret.as_str(), MASK));
        }
    }
    out
}

/// A credential header and its value: `Authorization: Bearer X`, `Cookie: X`.
static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b((?:proxy-)?authorization|cookie|set-cookie)(\s*[:=]\s*)((?:(?:bearer|basic|digest|token|negotiate|apikey)\s+)?)("[^"]*"|'[^']*'|[^\s'"]+)"#)
        .expect("valid regex")
});

/// `curl -u user:password` (and `--user`, `--proxy-user`, `-U`): the part after the colon.
static USER_FLAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(\s(?:-u|-U|--user|--proxy-user)(?:=|\s*)['"]?[^\s:'"]*:)([^\s'"]+)"#)
        .expect("valid regex")
});

/// Programs whose short flag carries a password or key: `sshpass -p X`, `openssl enc -k X`.
static PROGRAM_FLAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"((?:\bsshpass\b[^\n;&|]*?\s-p\s*|\bopenssl\b[^\n;&|]*?\s-[kK]\s+))("[^"]*"|'[^']*'|[^\s;&|'"]+)"#)
        .expect("valid regex")
});

static KEY_PASSWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b([\w.-]*?(?:password|passwd|pwd|pass|secret|token|key|auth|credentials?))(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,'"]+)"#)
        .expect("valid regex")
});
/// A config directive named like a secret, its value after blanks: `requirepass X` at the
/// start of a line or after a `: ` (command output quoted in a message), Redis's anywhere.
static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?im)((?:^|:[ \t]+)[ \t]*[\w.-]*(?:password|passwd|pass|secret|token|auth)|\b(?:requirepass|masterauth))([ \t]+)("[^"]*"|'[^']*'|[^\s-]\S*)"#)
        .expect("valid regex")
});

/// A command-line flag named like a secret, and its value: `--password X`, `--token=X`.
static FLAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(\s--?[\w-]*(?:password|passwd|pass|passin|passout|secret|token|auth|key|credentials?))(=|\s+)("[^"]*"|'[^']*'|[^\s;&|'"]+)"#)
        .expect("valid regex")
});

/// The short flags that carry a password: `mysql -pX`, `redis-cli -a X`.
static SHORT_FLAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)((?:mysql|mariadb)[\w-]*\b[^\n;&|]*?\s-p)([^\s;&|]+)|(redis-cli\b[^\n;&|]*?\s-a\s+)([^\s;&|]+)"#)
        .expect("valid regex")
});

/// Words without which none of the key, directive or flag rules can match. The flags (`-p`,
/// `-a`, `-u`, `-k`, `--user`, `--proxy-user`) count after white space only, as every rule that
/// reads them writes them: `pg-primary` or `legacy-api` holds no flag.
static MAY_HOLD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)pass|pwd|secret|token|key|auth|credential|cookie|\s-[pauk]|\s--(?:user|proxy-user)",
    )
    .expect("valid regex")
});

/// `MAY_HOLD`'s words, read by hand in ASCII text: on a short text (the scanner asks of each
/// reference's) the regex costs more than this pass. Other text goes to the regex, whose case
/// folding also reads the Kelvin sign as `k` and `ſ` as `s`.
fn may_name_secret(text: &str) -> bool {
    if !text.is_ascii() {
        return MAY_HOLD.is_match(text);
    }
    let b = text.as_bytes();
    may_name_ascii_secret(b, b.iter().any(u8::is_ascii_whitespace))
}

/// `may_name_secret` of ASCII bytes `b`, told whether they hold white space.
fn may_name_ascii_secret(b: &[u8], blank: bool) -> bool {
    let word_at = |i: usize, w: &[u8]| {
        b.get(i..i + w.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(w))
    };
    // Every rule but the header's needs white space before its value: a text without any (a
    // host, a URL: what the scanner asks of) can only hold a `Cookie:` or `Authorization=`.
    if !blank {
        return (0..b.len()).any(|i| match b[i] | 0x20 {
            b'a' => word_at(i, b"authorization"),
            b'c' => word_at(i, b"cookie"),
            _ => false,
        });
    }
    (0..b.len()).any(|i| match b[i].to_ascii_lowercase() {
        // `-p`, `-a`, `-u`, `-k`, `--user`, `--proxy-user`, after white space.
        b'-' => {
            i > 0
                && matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
                && (b
                    .get(i + 1)
                    .is_some_and(|c| matches!(c.to_ascii_lowercase(), b'p' | b'a' | b'u' | b'k'))
                    || word_at(i + 1, b"-user")
                    || word_at(i + 1, b"-proxy-user"))
        }
        b'p' => word_at(i, b"pass") || word_at(i, b"pwd"),
        b's' => word_at(i, b"secret"),
        b't' => word_at(i, b"token"),
        b'k' => word_at(i, b"key"),
        b'a' => word_at(i, b"auth"),
        b'c' => word_at(i, b"credential") || word_at(i, b"cookie"),
        _ => false,
    })
}

/// `text` with every secret masked: those the rules find, each wherever else it appears in
/// `text` too, and every known one.
pub(crate) fn secrets(text: &str) -> Cow<'_, str> {
    // The hints are read once, for finding the secrets and for masking them: the scanner asks
    // of each reference whose text may hold one.
    let hints = Hints::of(text);
    let mut found = Vec::new();
    collect_with(text, &hints, &mut found);
    mask_with(text, &hints, &found)
}

/// `text` masked, with the secrets found in `beside` too (a command's output masked with what
/// its command line gives away).
pub(crate) fn secrets_with<'a>(text: &'a str, beside: &[&str]) -> Cow<'a, str> {
    let mut found = Vec::new();
    for other in beside.iter().copied().chain([text]) {
        collect(other, &mut found);
    }
    mask(text, &found)
}

/// Whether any rule could match `text`: most text holds no secret, and the regexes run only
/// where one could be.
struct Hints {
    credential_url: bool,
    key_value: bool,
    named: bool,
}

impl Hints {
    fn of(text: &str) -> Hints {
        Hints {
            credential_url: may_hold_url_secret(
                text,
                memchr::memchr(b'@', text.as_bytes()).is_some(),
            ),
            key_value: may_hold_key_secret(text),
            named: may_name_secret(text),
        }
    }

    fn any(&self) -> bool {
        self.credential_url || self.key_value || self.named
    }
}

/// The rules' matches: (regex, the group holding the secret).
fn rules(hints: &Hints) -> Vec<(&'static Regex, usize)> {
    let mut rules = vec![(&*KEY_PASSWORD, 3)];
    if hints.named {
        rules.extend([
            (&*DIRECTIVE, 3),
            (&*FLAG, 3),
            (&*HEADER, 4),
            (&*USER_FLAG, 2),
            (&*PROGRAM_FLAG, 2),
            (&*SHORT_FLAG, 2),
            (&*SHORT_FLAG, 4),
        ]);
    }
    rules
}

/// Adds to `found` every secret value the rules find in `text`, without its quotes.
fn collect(text: &str, found: &mut Vec<String>) {
    collect_with(text, &Hints::of(text), found);
}

/// `collect`, with `text`'s hints already read.
fn collect_with(text: &str, hints: &Hints, found: &mut Vec<String>) {
    if !hints.any() {
        return;
    }
    if hints.credential_url {
        found.extend(url_secrets(text).into_iter().map(|r| text[r].to_string()));
    }
    for (rule, group) in rules(hints) {
        for c in rule.captures_iter(text) {
            if let Some(m) = c.get(group) {
                let value = m.as_str().trim_matches(['"', '\'']);
                if value != MASK && !value.is_empty() {
                    found.push(value.to_string());
                }
            }
        }
    }
}

/// `text` with the rules' matches masked where they stand, then each of `found` (long enough
/// to be told apart from ordinary words) and each known secret wherever it appears.
fn mask<'a>(text: &'a str, found: &[String]) -> Cow<'a, str> {
    mask_with(text, &Hints::of(text), found)
}

/// `mask`, with `text`'s hints already read.
fn mask_with<'a>(text: &'a str, hints: &Hints, found: &[String]) -> Cow<'a, str> {
    let mut out = Cow::Borrowed(text);
    if hints.credential_url {
        out = Cow::Owned(url_credentials(text));
    }
    if hints.any() {
        for (rule, group) in rules(hints) {
            let replaced = rule.replace_all(&out, |c: &regex::Captures| {
                let whole = c.get(0).expect("a match");
                let Some(secret) = c.get(group) else {
                    return whole.as_str().to_string();
                };
                let at = secret.start() - whole.start()..secret.end() - whole.start();
                let w = whole.as_str();
                format!("{}{MASK}{}", &w[..at.start], &w[at.end..])
            });
            if let Cow::Owned(replaced) = replaced {
                out = Cow::Owned(replaced);
            }
        }
    }
    let mut found: Vec<&String> = found
        .iter()
        .filter(|f| f.chars().count() >= SHORTEST_KNOWN)
        .collect();
    found.sort_by_key(|f| std::cmp::Reverse(f.len()));
    for secret in found {
        if out.contains(secret.as_str()) {
            out = Cow::Owned(out.replace(secret.as_str(), MASK));
        }
    }
    match known(&out) {
        Cow::Owned(masked) => Cow::Owned(masked),
        Cow::Borrowed(_) => out,
    }
}

/// Every string in `value` (keys stay), masked; a secret found in one string is masked in all
/// of them (a failure's command and its output). JSON stays JSON.
pub(crate) fn json(value: &mut serde_json::Value) {
    let mut found = Vec::new();
    each_string(value, &mut |s| collect(s, &mut found));
    each_string(value, &mut |s| {
        if let Cow::Owned(masked) = mask(s, &found) {
            *s = masked;
        }
    });
}

fn each_string(value: &mut serde_json::Value, f: &mut impl FnMut(&mut String)) {
    match value {
        serde_json::Value::String(s) => f(s),
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| each_string(v, f)),
        serde_json::Value::Object(map) => map.values_mut().for_each(|v| each_string(v, f)),
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

/// The secret part of the user info of every URL: `user:password@` keeps the user, a lone
/// `token@` (Sentry DSNs, Git tokens) is all secret.
fn url_secrets(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut secrets = Vec::new();
    for (_, authority) in crate::url::authorities(text) {
        if let Some(at) = text[authority.clone()].rfind('@') {
            let userinfo = authority.start..authority.start + at;
            let secret_from = match text[userinfo.clone()].find(':') {
                Some(colon) => userinfo.start + colon + 1,
                None => userinfo.start,
            };
            if secret_from < userinfo.end {
                secrets.push(secret_from..userinfo.end);
            }
        }
    }
    secrets
}

/// What is masked where it stands in every URL: its user info's secret, and a webhook's path,
/// which is its token (Slack's `hooks.slack.com/services/T…/B…/TOKEN`, Discord's
/// `/api/webhooks/ID/TOKEN`, Mattermost's `/hooks/ID`). In order, overlaps joined (a URL
/// inside a webhook's path is masked with it).
fn url_masked(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = url_secrets(text);
    ranges.extend(crate::url::authorities(text).filter_map(|(_, a)| webhook_path(text, a.end)));
    ranges.sort_by_key(|r| r.start);
    let mut joined: Vec<std::ops::Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match joined.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => joined.push(r),
        }
    }
    joined
}

/// The token part of a webhook URL's path starting at `from`: the whole path on a host named
/// `hooks.*`, else what follows `/hook/`, `/hooks/`, `/webhook/`, `/webhooks/` or Teams's
/// `/webhookb2/`, up to a query, a quote,
/// a list's separator or a blank, and no further than a path is long (a line of thousands of
/// URLs stays linear).
fn webhook_path(text: &str, from: usize) -> Option<std::ops::Range<usize>> {
    const LONGEST: usize = 512;
    let rest = text.get(from..)?.as_bytes();
    if rest.first() != Some(&b'/') {
        return None;
    }
    let end = from
        + rest
            .iter()
            .take(LONGEST)
            .position(|c| {
                c.is_ascii_whitespace()
                    || matches!(c, b'?' | b'#' | b'"' | b'\'' | b'<' | b'>' | b',' | b';')
            })
            .unwrap_or(rest.len().min(LONGEST));
    let end = (from..=end).rev().find(|&i| text.is_char_boundary(i))?;
    let host = text[..from].rsplit("://").next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or_default();
    let start = if host
        .get(..6)
        .is_some_and(|h| h.eq_ignore_ascii_case("hooks."))
    {
        from + 1
    } else {
        let path = &text[from..end];
        [
            "/hooks/",
            "/hook/",
            "/webhook/",
            "/webhooks/",
            "/webhookb2/",
        ]
        .iter()
        .find_map(|m| path.find(m).map(|at| from + at + m.len()))
        .or_else(|| token_segment(path).map(|at| from + at))?
    };
    (start < end).then_some(start..end)
}

/// Where the first segment of `path` that looks like a token starts: Apprise's
/// `mmosts://chat.example.com/TOKEN`, a health check's `/ping/UUID`. A UUID; else long and of
/// a token's bytes only, with digits, and either both cases or no separator (a page's
/// `install-guide-2024` has neither; a file's name, a version, a dot).
fn token_segment(path: &str) -> Option<usize> {
    let mut at = 0;
    for segment in path.split('/') {
        // (A URL written as a YAML key ends in a `:`.)
        let b = segment.strip_suffix(':').unwrap_or(segment).as_bytes();
        let has = |f: fn(&u8) -> bool| b.iter().any(f);
        let token_bytes = b
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'~' | b'=' | b'+'));
        let mixed = has(u8::is_ascii_uppercase) && has(u8::is_ascii_lowercase);
        let one_run = b.len() >= 20 && b.iter().all(u8::is_ascii_alphanumeric);
        let uuid = b.len() == 36
            && b.iter().enumerate().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => *c == b'-',
                _ => c.is_ascii_hexdigit(),
            });
        if uuid
            || b.len() >= 16
                && token_bytes
                && has(u8::is_ascii_digit)
                && has(u8::is_ascii_alphabetic)
                && (mixed || one_run)
        {
            return Some(at);
        }
        at += segment.len() + 1;
    }
    None
}

/// `text` with the user info of every URL masked (see [`url_secrets`]).
fn url_credentials(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for secret in url_masked(text) {
        out.push_str(&text[copied..secret.start]);
        out.push_str(MASK);
        copied = secret.end;
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

    proptest::proptest! {
        /// Text without a separator (a host name, an address) is never masked. (No `v`: the
        /// secret var another test remembers cannot appear.)
        #[test]
        fn text_without_a_separator_holds_no_secret(
            text in "[-a-uw-zA-Z0-9._@/\\\\]{0,16}(password|token|key|auth|-p|-a|-u|-k|cookie)?[-a-uw-zA-Z0-9._@/]{0,16}"
        ) {
            proptest::prop_assert!(!separated(&text));
            proptest::prop_assert_eq!(secrets(&text), text.as_str());
        }
    }

    proptest::proptest! {
        /// The hand-written reading of `MAY_HOLD`'s words says what the regex says, in text
        /// with white space; without any, only the header's words count.
        #[test]
        fn words_of_secrets_read_as_the_regex_reads_them(
            text in "[-a-zA-Z \\r\\t]{0,12}(pass|PWD|sEcret|toKen|KEY|auth|crEdential|cookie|-P| -P|\\t-a|-U|\\r--user| --PROXY-user|--user| -k|\\u{212A}ey|\\u{17F}ecret|pas|\\u{A0}-p|Authorization)?[-a-zA-Z \\r]{0,12}"
        ) {
            let spaced = !text.is_ascii() || text.bytes().any(|b| b.is_ascii_whitespace());
            let header = text.to_ascii_lowercase().contains("cookie")
                || text.to_ascii_lowercase().contains("authorization");
            let expected = if spaced { MAY_HOLD.is_match(&text) } else { header };
            proptest::prop_assert_eq!(may_name_secret(&text), expected);
        }

        /// Whatever the named rules would mask, `may_name_secret` lets through to them.
        #[test]
        fn every_text_a_named_rule_masks_is_let_through(
            text in "[-a-zA-Z0-9:=@/ \\t]{0,10}(password|Cookie|set-cookie|authorization|requirepass|masterauth|--token|--password=|-p|-a |-u|mysql|redis-cli|sshpass|openssl|-k )?[-a-zA-Z0-9:=@/ \\t]{0,10}(-p|-a |-k |--user )?[-a-zA-Z0-9:=@ ]{0,8}"
        ) {
            let named = [&*DIRECTIVE, &*FLAG, &*HEADER, &*USER_FLAG, &*PROGRAM_FLAG, &*SHORT_FLAG];
            if named.iter().any(|rule| rule.is_match(&text)) {
                proptest::prop_assert!(may_name_secret(&text), "{text:?}");
            }
        }
    }

    proptest::proptest! {
        /// The one pass of `may_match_a_rule` says what the hints say.
        #[test]
        fn one_pass_says_what_the_hints_say(
            text in "[-a-zA-Z0-9.:=@/ \t\u{b}\u{c}\r\n\u{E9}]{0,12}(password|token|key|auth|cookie|authorization|://|-p|hook|x://h/hooks/)?[-a-zA-Z0-9.:=@/ \t\u{b}]{0,12}"
        ) {
            proptest::prop_assert_eq!(
                may_match_a_rule(&text),
                separated(&text) && Hints::of(&text).any()
            );
        }
    }

    #[test]
    fn masks_the_token_in_a_webhook_path() {
        assert_eq!(
            secrets("notifier.webhook=https://hooks.chat.example.com/services/T0/B0/Xy12secret"),
            "notifier.webhook=https://hooks.chat.example.com/****"
        );
        assert_eq!(
            secrets("url: https://discord.example.com/api/webhooks/123/Tok3n-abc?wait=1 x"),
            "url: https://discord.example.com/api/webhooks/****?wait=1 x"
        );
        assert_eq!(
            secrets("https://u:pw@mm.example.com/hooks/abc123 https://a.example.com/hooks"),
            "https://u:****@mm.example.com/hooks/**** https://a.example.com/hooks"
        );
        // A URL after a webhook's keeps its own masking; one inside its path is masked with it.
        assert_eq!(
            secrets(
                "--urls=https://s.example.com/ping,https://ci:Pa55w0rdX@ci.example.com/j,https://c.example.com/hooks/abc123tok"
            ),
            "--urls=https://s.example.com/ping,https://ci:****@ci.example.com/j,https://c.example.com/hooks/****"
        );
        assert_eq!(
            secrets("systemctl restart payments && curl https://ci.example.com/hooks/payments"),
            "systemctl restart payments && curl https://ci.example.com/hooks/****"
        );
        assert_eq!(
            secrets("https://hooks.example.com/x/https://u:pw@b.example.com/y"),
            "https://hooks.example.com/****"
        );
        assert_eq!(
            secrets("https://api.example.com/services/orders"),
            "https://api.example.com/services/orders"
        );
        // A token in any URL's path, Apprise's; a file's or a version's name is no token.
        assert_eq!(
            secrets("- mmosts://chat.example.com:8065/Ap-mm-hook-Qp74Lj9Tz:"),
            "- mmosts://chat.example.com:8065/****"
        );
        assert_eq!(
            secrets("https://hc.example.com/ping/5f3c1d2e-8a9b-4c7d-9e0f-1a2b3c4d5e6f"),
            "https://hc.example.com/ping/****"
        );
        assert_eq!(
            secrets("https://repo.example.com/pool/main/openssl-3.0.11-1~deb12u2_amd64.deb"),
            "https://repo.example.com/pool/main/openssl-3.0.11-1~deb12u2_amd64.deb"
        );
        assert_eq!(
            secrets("https://docs.example.com/guides/install-guide-2024 x"),
            "https://docs.example.com/guides/install-guide-2024 x"
        );
        assert_eq!(
            secrets("https://chat.example.com/hook-less/xi30pnj8ojsmxm3e6e7jqsirxw"),
            "https://chat.example.com/hook-less/****"
        );
    }

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
        masks(
            &[
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
            ],
            // What is not a secret stays as written.
            &[
                "psql -p 5432 -h db",
                "ls -a /tmp",
                "port 6379",
                "upstream = db:5432",
                "the bypass mode is on",
            ],
        );
    }

    /// Each `(text, shown)` is shown masked; each of `kept` stays as written.
    fn masks(cases: &[(&str, &str)], kept: &[&str]) {
        for (text, shown) in cases {
            assert_eq!(secrets(text), *shown, "{text}");
        }
        for text in kept {
            assert_eq!(secrets(text), *text);
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

    /// The issue's gaps: each was shown as written.
    #[test]
    fn masks_credential_headers_user_flags_and_program_flags() {
        masks(
            &[
                (
                    "curl -H 'Authorization: Bearer hunter2x' http://x",
                    "curl -H 'Authorization: Bearer ****' http://x",
                ),
                (
                    "curl -H \"Proxy-Authorization: Basic aHVudGVyMg==\" http://x",
                    "curl -H \"Proxy-Authorization: Basic ****\" http://x",
                ),
                ("Cookie: session=abc123", "Cookie: ****"),
                (
                    "curl -u admin:hunter2 http://x",
                    "curl -u admin:**** http://x",
                ),
                (
                    "curl --user 'admin:hunter2' http://x",
                    "curl --user 'admin:****' http://x",
                ),
                (
                    "sshpass -p hunter2 ssh db-01 true",
                    "sshpass -p **** ssh db-01 true",
                ),
                ("sshpass -phunter2 ssh db-01", "sshpass -p**** ssh db-01"),
                (
                    "openssl enc -aes256 -k hunter2 -in a",
                    "openssl enc -aes256 -k **** -in a",
                ),
                (
                    "openssl rsa -passin pass:hunter2 -in k",
                    "openssl rsa -passin **** -in k",
                ),
            ],
            &[
                "ps -u root",
                "openssl x509 -in cert.pem -noout -kx",
                "sort -k 2 file",
                "the author: someone",
            ],
        );
    }

    /// A secret one field gives away is masked in every field of the same event.
    #[test]
    fn a_secret_found_in_one_field_is_masked_in_all() {
        let mut value = serde_json::json!({
            "check": "mysqladmin --password s3cr3t-pw ping",
            "reason": "exit 1: access denied for s3cr3t-pw",
            "nested": ["s3cr3t-pw"],
        });
        json(&mut value);
        assert!(!value.to_string().contains("s3cr3t-pw"), "{value}");
        // Within one text too.
        assert_eq!(
            secrets("app --password abcdef; echo abcdef"),
            "app --password ****; echo ****"
        );
    }

    #[test]
    fn the_plans_secret_vars_are_masked_wherever_they_appear() {
        assert!(secret_name("db_password"));
        assert!(secret_name("API_TOKEN"));
        assert!(secret_name("X-Auth-Key"));
        assert!(secret_name("Authorization"));
        assert!(!secret_name("dir"));
        assert!(!secret_name("keycloak_url"));
        remember("v4lue-of-a-secret-var");
        remember("x");
        assert_eq!(
            secrets("app --db v4lue-of-a-secret-var start"),
            "app --db **** start"
        );
        // Too short to be told apart from ordinary words: left as it is.
        assert_eq!(secrets("x y"), "x y");
    }
}

/// A webhook URL as it may be shown: scheme, host and port; the path and query, where chat
/// services put their tokens, and any user info are masked.
pub(crate) fn masked_url(url: &str) -> String {
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return MASK.to_string();
    };
    let host = parsed.host_str().unwrap_or_default();
    let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
    let hidden = parsed.path() != "/" || parsed.query().is_some();
    format!(
        "{}://{host}{port}/{}",
        parsed.scheme(),
        if hidden { MASK } else { "" }
    )
}

#[cfg(test)]
mod webhook_url_tests {
    use super::masked_url;

    #[test]
    fn tokens_in_paths_queries_and_user_info_are_masked() {
        assert_eq!(
            masked_url("https://hooks.slack.com/services/T0/B0/XXXXSECRET"),
            "https://hooks.slack.com/****"
        );
        assert_eq!(
            masked_url("http://bot:pw@127.0.0.1:8080/hook?token=abc"),
            "http://127.0.0.1:8080/****"
        );
        assert_eq!(
            masked_url("https://chat.example.com"),
            "https://chat.example.com/"
        );
        assert_eq!(masked_url("not a url with secret"), "****");
    }
}
