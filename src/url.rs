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
        let end = b[start..]
            .iter()
            .position(|&c| AUTHORITY_END[c as usize])
            .map_or(b.len(), |i| start + i);
        Some((scheme_start, start..end))
    })
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
    fn no_scheme_no_url() {
        assert!(found("://db-01 1://db-02 nothing here").is_empty());
    }
}
