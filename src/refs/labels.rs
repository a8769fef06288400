//! Names a config file declares for its own use, which later look like hosts where it uses
//! them: nginx `upstream backend {` (then `proxy_pass http://backend`), TSIG keys of BIND
//! (`key "xfer" {`), NSD (`key:` / `name: tsig.example.com.`) and Knot (`key:` / `- id: x`),
//! then written after an address (`10.0.0.5 key xfer`, `request-xfr: 10.0.0.5 tsig.example.com.`),
//! Icinga 2's objects (`object Endpoint "sat-1" {`, then `endpoints = [ "sat-1" ]`), and the
//! sections and blocks a file names (MaxScale's `[db-01]`, then `servers=db-01`).

use regex::Regex;
use rustc_hash::FxHashSet;
use std::sync::LazyLock;

static NGINX_UPSTREAM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*upstream\s+([A-Za-z0-9_.\-]+)\s*\{").expect("valid regex"));

/// The line of `text` around byte `at`.
fn line_around(text: &str, at: usize) -> (usize, usize) {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    (start, end)
}

/// A label as written: without quotes, a trailing `;` or a root dot.
fn label(word: &str) -> String {
    word.trim_matches(['"', '\'', ';', ' ', '\t'])
        .trim_end_matches('.')
        .to_string()
}

/// Every label the file declares. Found from each occurrence of `upstream` and `key`, so that
/// a text without them costs two SIMD substring searches.
pub(super) fn declared(text: &str) -> FxHashSet<String> {
    let b = text.as_bytes();
    let mut labels = FxHashSet::default();
    for at in memchr::memmem::find_iter(b, "upstream") {
        let (start, end) = line_around(text, at);
        if let Some(name) = NGINX_UPSTREAM
            .captures(&text[start..end])
            .and_then(|c| c.get(1))
        {
            labels.insert(name.as_str().to_string());
        }
    }
    for at in memchr::memmem::find_iter(b, "key") {
        // Only a `key` word first on its line declares one: most hits are inside other words.
        let word_start = at == 0 || matches!(b[at - 1], b'\n' | b' ' | b'\t');
        let word_end = matches!(b.get(at + 3), Some(b' ' | b'\t' | b':'));
        if !(word_start && word_end) {
            continue;
        }
        let (start, end) = line_around(text, at);
        if !text[start..at].trim_ascii().is_empty() {
            continue;
        }
        let rest = text[at + 3..end].trim_ascii();
        if let Some(name) = rest.strip_suffix('{') {
            // BIND: `key "xfer" {`.
            let name = name.trim_ascii();
            if !name.is_empty() && !name.contains([' ', '\t']) {
                labels.insert(label(name));
            }
        } else if rest == ":" {
            // NSD's and Knot's `key:` clause: the names in it, up to the next clause.
            for next in text[end..].lines().skip(1) {
                if next.starts_with(|c: char| !c.is_ascii_whitespace() && c != '-') {
                    break;
                }
                let item = next.trim_ascii().trim_start_matches("- ");
                if let Some(name) = item.strip_prefix("name:").or(item.strip_prefix("id:")) {
                    labels.insert(label(name));
                }
            }
        }
    }
    // Blocks and sections the file names, which its other lines then refer to: MaxScale's
    // `[db-01]` (then `servers=db-01,db-02`), FreeRADIUS's `home_server radius-a {` (then
    // `home_server = radius-a`). A name with a dot or an address is kept a host: Caddy's
    // `shop.example.com {`, keepalived's `real_server 10.0.0.1 443 {`.
    // Only lines with a `[` or a `{` can: found with one SIMD search, each line read once.
    let mut read_to = 0;
    for at in memchr::memchr2_iter(b'[', b'{', b) {
        if at < read_to {
            continue;
        }
        let (start, end) = line_around(text, at);
        read_to = end;
        let t = text[start..end].trim_ascii();
        let name = if let Some(inner) = t.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            inner
        } else if let Some(head) = t.strip_suffix('{') {
            let mut words = head.split_ascii_whitespace();
            match (words.next(), words.next(), words.next()) {
                (Some(_kind), Some(name), None) => name,
                _ => continue,
            }
        } else {
            continue;
        };
        let bare = !name.is_empty()
            && name
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_'))
            && name.bytes().any(|c| c.is_ascii_alphabetic());
        if bare && !labels.contains(name) {
            labels.insert(name.to_string());
            // Matomo's `servers[] = "corpdc"`, then `[LoginLdap_corpdc]`: a section named for
            // its item after a prefix in camel case (`[session_redis]` names no `redis`).
            if let Some((prefix, item)) = name.rsplit_once('_')
                && t.starts_with('[')
                && prefix.bytes().skip(1).any(|c| c.is_ascii_uppercase())
                && item.bytes().any(|c| c.is_ascii_alphabetic())
            {
                labels.insert(item.to_string());
            }
        }
    }
    // Icinga 2's `object Endpoint "satellite-1" {`: the object's name, which `endpoints = [
    // "satellite-1" ]` then refers to (its address is the object's `host`).
    for at in memchr::memmem::find_iter(b, "object ") {
        let (start, end) = line_around(text, at);
        if !text[start..at].trim_ascii().is_empty() {
            continue;
        }
        let mut words = text[at..end].split_ascii_whitespace().skip(1);
        if let (Some(_kind), Some(name), Some("{")) = (words.next(), words.next(), words.next())
            && name.starts_with('"')
        {
            labels.insert(label(name));
        }
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstreams_and_keys() {
        let found = declared(
            "upstream app {\nkey \"xfer\" {\n};\nkey:\n    name: \"tsig.example.com.\"\n  - id: k2\nserver:\n    name: x\n",
        );
        let mut found: Vec<_> = found.into_iter().collect();
        found.sort();
        assert_eq!(found, ["app", "k2", "tsig.example.com", "xfer"]);
        let icinga = declared("object Endpoint \"sat-1\" {\n  host = \"10.0.0.5\"\n}\n");
        assert!(icinga.contains("sat-1"));
        assert!(declared("monkey {\nkeys = 1\n").is_empty());
        let blocks = declared(
            "[db-01]\naddress=10.0.0.1\nhome_server radius-a {\n}\nshop.example.com {\n}\n",
        );
        let mut blocks: Vec<_> = blocks.into_iter().collect();
        blocks.sort();
        assert_eq!(blocks, ["db-01", "radius-a"]);
    }
}
