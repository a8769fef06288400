//! Greenplum's segment lines (`gpinitsystem -I` input files): `host~address~port~/data/dir~dbid
//! ~content`, one segment of the cluster per line, reached at its address and port. The
//! coordinator's own line, written after a key (`QD_PRIMARY_ARRAY=mdw~mdw~5432~…`), is the host
//! the file is read on, and is not one.

use crate::refs::line::Line;
use crate::refs::tokens::{is_hostname, parse_ip, port};

impl Line<'_> {
    /// A line that is one segment record, quoted or not.
    pub(in crate::refs) fn segment_record(&mut self) {
        let text = self.text;
        // Most lines have no `~` at all: one vectorised search rules them out.
        if memchr::memchr(b'~', text.as_bytes()).is_none() {
            return;
        }
        let record = text.trim_ascii().trim_matches(['"', '\'']);
        let mut fields = record.split('~');
        let (Some(host), Some(address), Some(port_field), Some(dir)) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return;
        };
        let Some(port) =
            port(port_field).filter(|_| port_field.bytes().all(|c| c.is_ascii_digit()))
        else {
            return;
        };
        let host_like = |s: &str| is_hostname(s) || parse_ip(s).is_some();
        if !(dir.starts_with('/') && host_like(host) && host_like(address)) {
            return;
        }
        let start = address.as_ptr() as usize - text.as_ptr() as usize;
        let end = port_field.as_ptr() as usize - text.as_ptr() as usize + port_field.len();
        if self.free(start, end) {
            self.claim(start, end);
            self.add(address, Some(port), start, end);
        }
    }
}
