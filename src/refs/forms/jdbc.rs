//! Oracle's thin JDBC URLs, which name their host without `://`: `jdbc:oracle:thin:@//db-scan:1521/SVC`
//! (a service), `@db-01:1521:ORCL` (a SID), `@db-01:1521/SVC`. Other drivers' URLs (MySQL,
//! PostgreSQL with several hosts, SQL Server) are URLs and read as such.

use crate::refs::features::Features;
use crate::refs::line::Line;
use crate::refs::tokens::{parse_ip, split_port};

/// Oracle's listener port when the URL gives none.
const ORACLE_PORT: u16 = 1521;

impl Line<'_> {
    /// `jdbc:oracle:thin:@...`: the host, and its port (1521 when none is written).
    pub(in crate::refs) fn oracle(&mut self, features: &Features) {
        if !features.at() {
            return;
        }
        let text = self.text;
        let b = text.as_bytes();
        for found in memchr::memmem::find_iter(b, "oracle:") {
            let Some(scheme_start) = found
                .checked_sub(5)
                .filter(|&s| text[s..found].eq_ignore_ascii_case("jdbc:"))
            else {
                continue;
            };
            let word_end = found
                + b[found..]
                    .iter()
                    .position(|c| c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b';'))
                    .unwrap_or(b.len() - found);
            let Some(at) = memchr::memchr(b'@', &b[found..word_end]).map(|i| found + i) else {
                continue;
            };
            // `thin:scott/tiger@//db`: the credentials before `@` stay out of the text shown.
            let shown_from = if text[found..at].contains('/') {
                at
            } else {
                scheme_start
            };
            let mut start = at + 1;
            if text[start..].starts_with("//") {
                start += 2;
            }
            let end = start
                + b[start..]
                    .iter()
                    .position(|c| {
                        !(c.is_ascii_alphanumeric()
                            || matches!(c, b'.' | b'-' | b':' | b'[' | b']'))
                    })
                    .unwrap_or(b.len() - start);
            // `host:port:SID` or `host:port`: the host and the port, never the SID.
            let address = &text[start..end];
            let (host, port) = match address.strip_prefix('[') {
                Some(v6) => split_port(&address[..v6.find(']').map_or(address.len(), |i| i + 2)]),
                None => {
                    let mut parts = address.splitn(3, ':');
                    let host = parts.next().unwrap_or_default();
                    (host, parts.next().and_then(crate::refs::tokens::port))
                }
            };
            if host.is_empty() || (host.contains(':') && parse_ip(host).is_none()) {
                continue;
            }
            if !self.free(scheme_start, word_end) {
                continue;
            }
            self.claim(scheme_start, word_end);
            self.add(host, port.or(Some(ORACLE_PORT)), shown_from, word_end);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::refs::found::ports as found;

    #[test]
    fn oracle_thin_urls_of_each_form() {
        assert_eq!(
            found("url=jdbc:oracle:thin:@//db-scan:1521/SVC"),
            ["db-scan:Some(1521)"]
        );
        assert_eq!(
            found("url=jdbc:oracle:thin:@db-01.example.com:1522:ORCL"),
            ["db-01.example.com:Some(1522)"]
        );
        assert_eq!(
            found("url = \"jdbc:oracle:thin:scott/tiger@//10.0.0.9/SVC\""),
            ["10.0.0.9:Some(1521)"]
        );
        assert_eq!(
            found("url=jdbc:sqlserver://sql-01:1433;databaseName=x"),
            ["sql-01:Some(1433)"]
        );
        assert_eq!(found("note = ops:@home"), Vec::<String>::new());
    }
}
