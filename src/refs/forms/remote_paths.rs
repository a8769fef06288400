//! Forms that name a host by where it stands in a command or a path: `user@host:path` targets
//! of rsync and scp, `ssh user@host`, NFS `host:/export`, SMB `//host/share` and
//! `\\host\share`.

use crate::refs::features::Features;
use crate::refs::line::{Line, TEXT_LIMIT};
use crate::refs::tokens::{HOST_BYTE, byte_table, parse_ip, run_back, run_forward};

/// The bytes of a user name before `@`.
static USER_BYTE: [bool; 256] = byte_table(b"._-", true, false);
/// What may stand right before a target: the start of a word.
pub(super) static TARGET_START: [bool; 256] = byte_table(b"'\"=,(`", false, true);
/// What ends a path after a target.
static PATH_END: [bool; 256] = byte_table(b"'\";`)", false, true);
/// The bytes of a path after a target.
static PATH_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        table[c] = !PATH_END[c];
        c += 1;
    }
    table
};

/// Words before `:/` that are schemes or drive letters, not hosts.
fn is_scheme_word(word: &str) -> bool {
    word.len() == 1
        || [
            "unix",
            "file",
            "jar",
            "classpath",
            "mailto",
            "urn",
            "tcp",
            "udp",
            "ipc",
            "npipe",
        ]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(word))
}

/// A line that copies or mounts: a single-label `host:/path` in it is a host.
fn copies_or_mounts(line: &str) -> bool {
    let b = line.as_bytes();
    ["nfs", "rsync", "scp", "mount", "sshfs"]
        .iter()
        .any(|w| memchr::memmem::find(b, w.as_bytes()).is_some())
}

/// Where the line first runs `ssh`, `scp`, `sftp` or `rsync`: one pass over the `s` and `r`
/// the words start with (four `memmem` searches each built their searcher, on every line
/// with an `@`).
fn first_ssh(line: &[u8]) -> Option<usize> {
    memchr::memchr2_iter(b's', b'r', line).find(|&at| {
        let rest = &line[at..];
        [&b"ssh "[..], b"scp ", b"sftp ", b"rsync "]
            .iter()
            .any(|w| rest.starts_with(w))
    })
}

fn starts_target(b: &[u8], at: usize) -> bool {
    at == 0 || TARGET_START[b[at - 1] as usize]
}

/// Where the path after a target ends, read no further than a reference's text can show: a
/// line of targets without a space stays linear.
fn path_end(b: &[u8], from: usize) -> usize {
    let limit = (from + TEXT_LIMIT).min(b.len());
    run_forward(&b[..limit], from, &PATH_BYTE)
}

impl Line<'_> {
    /// `user@host:path` (rsync, scp), `host:/path` (NFS, rsync), and `ssh user@host`.
    pub(in crate::refs) fn remote_paths(&mut self, features: &Features) {
        if !(features.at() || features.scheme()) {
            return;
        }
        let text = self.text;
        let b = text.as_bytes();
        // Asked once per line, and only when a single-label `host:/path` needs it.
        let mut copies = None;
        for colon in memchr::memchr_iter(b':', b) {
            let next = b.get(colon + 1).copied().unwrap_or(b' ');
            // A URL's `://`, or a `host:port` on a line without a user: not a target.
            if (next == b'/' && b.get(colon + 2) == Some(&b'/'))
                || !(next == b'/' || next == b'~' || features.at())
            {
                continue;
            }
            let host_start = run_back(b, colon, &HOST_BYTE);
            let host = &text[host_start..colon];
            if host.is_empty() || is_scheme_word(host) {
                continue;
            }
            let user = host_start > 0 && b[host_start - 1] == b'@';
            let start = if user {
                run_back(b, host_start - 1, &USER_BYTE)
            } else {
                host_start
            };
            if !starts_target(b, start) || (user && start == host_start - 1) {
                continue;
            }
            let path_like = next == b'/' || next == b'~';
            // rsync's daemon module, `user@host::module`, as well as a path (not the first
            // group of an IPv6 address, `admin@fd00::5`).
            let module = || {
                next == b':'
                    && b.get(colon + 2).is_some_and(u8::is_ascii_alphabetic)
                    && !host.bytes().all(|c| c.is_ascii_hexdigit())
            };
            let evidence = if user {
                path_like || next.is_ascii_alphabetic() || next == b'.' || module()
            } else {
                path_like
                    && (host.contains('.')
                        || parse_ip(host).is_some()
                        || *copies.get_or_insert_with(|| copies_or_mounts(text)))
            };
            if !evidence {
                continue;
            }
            let end = path_end(b, colon + 1);
            if !self.free(start, end) {
                continue;
            }
            self.claim(start, end);
            self.add(host, None, start, end);
        }
        if !features.at() {
            return;
        }
        let Some(ssh) = first_ssh(b) else {
            return;
        };
        for at in memchr::memchr_iter(b'@', b) {
            let start = run_back(b, at, &USER_BYTE);
            let end = run_forward(b, at + 1, &HOST_BYTE);
            let ends_word = b.get(end).is_none_or(|&c| PATH_END[c as usize]);
            if start == at
                || end == at + 1
                || !ends_word
                || !starts_target(b, start)
                || ssh >= start
                || !self.free(start, end)
            {
                continue;
            }
            self.claim(start, end);
            self.add(&text[at + 1..end], Some(22), start, end);
        }
    }

    /// SMB and CIFS shares: `//fs-01/share` (fstab, autofs, smbclient) and `\\fs-01\share`
    /// (also escaped, `\\\\fs-01\\share`). A URL's `://` is no share.
    pub(in crate::refs) fn shares(&mut self, features: &Features) {
        if !features.slashes() {
            return;
        }
        let text = self.text;
        let b = text.as_bytes();
        let mut i = 0;
        while let Some(found) = memchr::memchr2(b'/', b'\\', &b[i..]) {
            let at = i + found;
            let sep = b[at];
            let run = b[at..].iter().take_while(|&&c| c == sep).count();
            i = at + run;
            // autofs writes a CIFS location as `://host/share`.
            let autofs = at > 0 && b[at - 1] == b':' && starts_target(b, at - 1);
            if run < 2 || !(starts_target(b, at) || autofs) {
                continue;
            }
            let host_end = run_forward(b, i, &HOST_BYTE);
            let host = &text[i..host_end];
            let after = b[host_end..].iter().take_while(|&&c| c == sep).count();
            // `\\\\fs\\share` escapes every backslash; a PHP namespace (`\\OC\\Memcache`) doubles
            // only the ones between its parts.
            let share = after > 0
                && (sep == b'/' || after * 2 == run)
                && b.get(host_end + after)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'$');
            let end = path_end(b, host_end);
            // Perforce's views, `//depot/app/...  //client/app/...`, name depots.
            let depot = memchr::memmem::find(&b[host_end..end], b"...").is_some();
            if !share || depot || host.is_empty() || !self.free(at, end) {
                continue;
            }
            self.claim(at, end);
            self.add(host, None, at, end);
        }
    }
}
