//! URLs in free text, read by hand (URLs are everywhere in configs): the reference scanner
//! reads their hosts, the masking their user info. Neither owns them, so both can use them.

use std::ops::Range;
use std::sync::LazyLock;

/// What ends a URL's authority: white space, quotes, brackets, the path, query or fragment.
static AUTHORITY_END: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_whitespace()
            || matches!(
                b as u8,
                b'\'' | b'"' | b'<' | b'>' | b'(' | b')' | b'{' | b'}' | b'/' | b'?' | b'#' | b';'
            );
        b += 1;
    }
    table
};

/// Every `scheme://authority` in a line: where the scheme starts, and the authority's range
/// (user info, hosts and ports, up to the path).
pub(crate) fn authorities(text: &str) -> impl Iterator<Item = (usize, Range<usize>)> + '_ {
    static SCHEME_END: LazyLock<memchr::memmem::Finder> =
        LazyLock::new(|| memchr::memmem::Finder::new("://"));
    let b = text.as_bytes();
    SCHEME_END.find_iter(b).filter_map(move |at| {
        let scheme_start = b[..at]
            .iter()
            .rposition(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-' | b'_')))
            .map_or(0, |i| i + 1);
        if scheme_start == at || !b[scheme_start].is_ascii_alphabetic() {
            return None;
        }
        let start = at + 3;
        let authority_end = |from: usize| {
            b[from..]
                .iter()
                .position(|&c| AUTHORITY_END[c as usize])
                .map_or(b.len(), |i| from + i)
        };
        let mut end = authority_end(start);
        // A template in the user info (Frigate's `rtsp://viewer:{PASSWORD}@10.0.0.5:554`):
        // the authority goes on after it, up to its host.
        // (Searched a short way only: a line of `a://{` stays linear.)
        while b.get(end) == Some(&b'{')
            && let Some(close) =
                memchr::memchr(b'}', &b[end..(end + 256).min(b.len())]).map(|i| end + i)
        {
            let rest = authority_end(close + 1);
            if memchr::memchr(b'@', &b[close + 1..rest]).is_none() {
                break;
            }
            end = rest;
        }
        // A list of URLs (`https://a:9200,https://b:9200`): the next one's scheme ends this
        // authority, and is no host of it.
        if b[end..].starts_with(b"//")
            && b[end - 1] == b':'
            && let Some(comma) = b[start..end].iter().rposition(|&c| c == b',')
            && start + comma + 1 < end
            && is_scheme(&b[start + comma + 1..end - 1])
        {
            end = start + comma;
        }
        Some((scheme_start, start..end))
    })
}

/// `https` or `jdbc:mysql`'s last part: a letter, then letters, digits, `+`, `.`, `-`.
fn is_scheme(word: &[u8]) -> bool {
    word.first().is_some_and(u8::is_ascii_alphabetic)
        && word
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::authorities;

    fn found(text: &str) -> Vec<(&str, &str)> {
        authorities(text)
            .map(|(scheme, authority)| (&text[scheme..authority.start - 3], &text[authority]))
            .collect()
    }

    #[test]
    fn scheme_and_authority_up_to_the_path() {
        assert_eq!(
            found("url=postgres://app:s3cret@db-01:5432,db-02/app?x=1 \"redis://cache\""),
            [
                ("postgres", "app:s3cret@db-01:5432,db-02"),
                ("redis", "cache")
            ]
        );
    }

    #[test]
    fn a_list_of_urls_is_read_url_by_url() {
        assert_eq!(
            found("hosts = https://u:p@es-01:9200,https://u:p@es-02:9200/x"),
            [("https", "u:p@es-01:9200"), ("https", "u:p@es-02:9200")]
        );
    }

    #[test]
    fn a_comma_before_slashes_is_no_second_url() {
        assert_eq!(found("url = http://a,//b"), [("http", "a,")]);
        assert_eq!(
            found("x https://db.example.com,//"),
            [("https", "db.example.com,")]
        );
    }

    #[test]
    fn no_scheme_no_url() {
        assert!(found("://db-01 1://db-02 nothing here").is_empty());
    }
}
