//! The journal's seal: every line ends with `"h"`, an HMAC-SHA256 of the line as written before
//! it, chained to the previous line's seal, under a key made for the run and kept beside the
//! journal (`runs/<id>/key`, 0600). A line added, removed, reordered or edited breaks the chain
//! from there on, so `resume` refuses a journal that was changed after it was written.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::io::{Read, Write};
use std::path::Path;

type HmacSha256 = Hmac<Sha256>;

/// The field that ends every sealed line: `,"h":"<64 hex digits>"}`.
const FIELD: &str = ",\"h\":\"";
const HEX_LEN: usize = 64;

/// A run's key and the seal of the last line, to seal or check the next one.
pub(crate) struct Seal {
    key: [u8; 32],
    last: [u8; 32],
}

/// Why a sealed line does not hold.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Broken {
    /// The line carries no seal.
    Unsealed,
    /// Its seal is not the one its text and the line before it give.
    Mismatch,
}

impl Seal {
    /// A new key for a new run, written to `path` (which must not exist).
    pub(crate) fn create(path: &Path) -> std::io::Result<Seal> {
        let mut key = [0u8; 32];
        std::fs::File::open("/dev/urandom")?.read_exact(&mut key)?;
        let mut file = crate::state_files::create_new_private(path)?;
        file.write_all(&key)?;
        file.sync_all()?;
        Ok(Seal::with_key(key))
    }

    /// The key of an existing run.
    pub(crate) fn open(path: &Path) -> std::io::Result<Seal> {
        crate::state_files::not_a_symlink(path)?;
        let bytes = std::fs::read(path)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| {
            std::io::Error::other(format!("{} is not a journal key", path.display()))
        })?;
        Ok(Seal::with_key(key))
    }

    fn with_key(key: [u8; 32]) -> Seal {
        Seal { key, last: [0; 32] }
    }

    fn mac(&self, text: &str) -> [u8; 32] {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes any key size");
        mac.update(&self.last);
        mac.update(text.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// `line` (one JSON object) with its seal added as its last field; the chain moves on.
    pub(crate) fn seal(&mut self, line: &str) -> String {
        let mac = self.mac(line);
        self.last = mac;
        let body = line.strip_suffix('}').unwrap_or(line);
        format!("{body}{FIELD}{}\"}}", hex(&mac))
    }

    /// The line as it was before it was sealed, if its seal holds; the chain moves on.
    pub(crate) fn check(&mut self, line: &str) -> Result<String, Broken> {
        let at = line
            .len()
            .checked_sub(FIELD.len() + HEX_LEN + 2)
            .filter(|&at| line.is_char_boundary(at) && line[at..].starts_with(FIELD))
            .ok_or(Broken::Unsealed)?;
        let (body, sealed) = line.split_at(at);
        let given = &sealed[FIELD.len()..FIELD.len() + HEX_LEN];
        if !sealed.ends_with("\"}") {
            return Err(Broken::Unsealed);
        }
        let text = format!("{body}}}");
        let mac = self.mac(&text);
        if hex(&mac) != given {
            return Err(Broken::Mismatch);
        }
        self.last = mac;
        Ok(text)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> (Seal, Seal) {
        (Seal::with_key([7; 32]), Seal::with_key([7; 32]))
    }

    #[test]
    fn sealed_lines_read_back_as_written() {
        let (mut w, mut r) = pair();
        for line in [r#"{"v":3,"a":1}"#, r#"{"v":3,"b":"}"}"#] {
            let sealed = w.seal(line);
            assert!(sealed.ends_with("\"}"), "{sealed}");
            assert_eq!(r.check(&sealed).expect("holds"), line);
        }
    }

    #[test]
    fn an_edited_added_or_removed_line_breaks_the_chain() {
        let (mut w, _) = pair();
        let lines: Vec<String> = ["{\"n\":1}", "{\"n\":2}", "{\"n\":3}"]
            .iter()
            .map(|l| w.seal(l))
            .collect();
        let read = |lines: &[String]| {
            let mut r = Seal::with_key([7; 32]);
            lines
                .iter()
                .map(|l| r.check(l).map(|_| ()))
                .collect::<Vec<_>>()
        };
        assert!(read(&lines).iter().all(Result::is_ok));
        // Edited.
        let mut edited = lines.clone();
        edited[1] = edited[1].replace("\"n\":2", "\"n\":5");
        assert_eq!(read(&edited)[1], Err(Broken::Mismatch));
        // Removed: the next line no longer follows.
        let removed = vec![lines[0].clone(), lines[2].clone()];
        assert_eq!(read(&removed)[1], Err(Broken::Mismatch));
        // Added without a seal, or with another key's.
        let added = vec![lines[0].clone(), "{\"n\":9}".into()];
        assert_eq!(read(&added)[1], Err(Broken::Unsealed));
        let mut other = Seal::with_key([8; 32]);
        let forged = vec![lines[0].clone(), other.seal("{\"n\":9}")];
        assert_eq!(read(&forged)[1], Err(Broken::Mismatch));
    }

    proptest::proptest! {
        #[test]
        fn any_line_is_checked_without_panic(line in "\\PC{0,120}") {
            let mut r = Seal::with_key([1; 32]);
            let _ = r.check(&line);
            let _ = r.check(&format!("{line},\"h\":\"{}\"}}", "é".repeat(32)));
        }
    }
}
