//! Where a stopped Redis member's data ends: the `repl-offset` that Redis writes among the aux
//! fields at the head of its RDB snapshot. Read from the file's first bytes (as hex, since the
//! field is binary), never the whole snapshot: a dataset of gigabytes costs the same.

/// How many bytes of the snapshot's head are read: the aux fields come first and are short.
pub(super) const HEAD: usize = 1024;

/// The `repl-offset` aux field of an RDB file whose first bytes are given as `od -An -tx1`
/// prints them; `None` when it is not an RDB file or has no such field.
pub(super) fn repl_offset(hex: &str) -> Option<u64> {
    match aux(hex, b"repl-offset")? {
        Text::Int(n) => u64::try_from(n).ok(),
        Text::Bytes(b) => std::str::from_utf8(&b).ok()?.parse().ok(),
    }
}

/// The `repl-id` aux field: the replication history the offset counts in (a failover starts
/// a new one).
pub(super) fn repl_id(hex: &str) -> Option<String> {
    match aux(hex, b"repl-id")? {
        Text::Bytes(b) if b.len() == 40 && b.iter().all(u8::is_ascii_hexdigit) => {
            Some(String::from_utf8_lossy(&b).into_owned())
        }
        _ => None,
    }
}

/// The value of the aux field `name`, decoded from the hex dump's bytes.
fn aux(hex: &str, name: &[u8]) -> Option<Owned> {
    let bytes: Vec<u8> = hex
        .split_ascii_whitespace()
        .map_while(|b| u8::from_str_radix(b, 16).ok())
        .collect();
    let mut at = bytes.strip_prefix(b"REDIS")?.get(4..)?;
    // Opcode 0xFA: an aux field, a key then a value; any other opcode ends them.
    while let Some((&0xFA, rest)) = at.split_first() {
        let (key, rest) = string(rest)?;
        let (value, rest) = string(rest)?;
        if key == Text::Bytes(name) {
            return Some(match value {
                Text::Int(n) => Text::Int(n),
                Text::Bytes(b) => Text::Bytes(b.to_vec()),
            });
        }
        at = rest;
    }
    None
}

/// An aux field's value, out of the buffer it was read from.
type Owned = Text<Vec<u8>>;

#[derive(Debug, PartialEq, Eq)]
enum Text<B> {
    Bytes(B),
    Int(i64),
}

/// One RDB string: a length-prefixed run of bytes, or an integer in its special encodings.
fn string(at: &[u8]) -> Option<(Text<&[u8]>, &[u8])> {
    let (&first, rest) = at.split_first()?;
    let (len, rest) = match first >> 6 {
        0 => (usize::from(first & 0x3F), rest),
        1 => {
            let (&next, rest) = rest.split_first()?;
            ((usize::from(first & 0x3F) << 8) | usize::from(next), rest)
        }
        2 if first == 0x80 => {
            let (len, rest) = rest.split_first_chunk::<4>()?;
            (usize::try_from(u32::from_be_bytes(*len)).ok()?, rest)
        }
        3 => {
            let (n, width) = match first & 0x3F {
                0 => (i64::from(i8::from_le_bytes(*rest.first_chunk::<1>()?)), 1),
                1 => (i64::from(i16::from_le_bytes(*rest.first_chunk::<2>()?)), 2),
                2 => (i64::from(i32::from_le_bytes(*rest.first_chunk::<4>()?)), 4),
                // LZF-compressed: not an aux field's encoding.
                _ => return None,
            };
            return Some((Text::Int(n), &rest[width..]));
        }
        _ => return None,
    };
    Some((Text::Bytes(rest.get(..len)?), rest.get(len..)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x} ")).collect()
    }

    /// The head of an RDB file Redis 7.0 wrote on shutdown (`redis-check-rdb` reads
    /// `repl-offset = '87'` in it), as `od -An -tx1` prints it.
    const REAL: &str =
        "52 45 44 49 53 30 30 31 30 fa 09 72 65 64 69 73 2d 76 65 72 06 37 2e 30 2e 31 35 fa 0a
72 65 64 69 73 2d 62 69 74 73 c0 40 fa 05 63 74 69 6d 65 c2 1f 1f 15 6b fa 08 75 73 65
64 2d 6d 65 6d c2 a0 93 0f 00 fa 0e 72 65 70 6c 2d 73 74 72 65 61 6d 2d 64 62 c0 00 fa
07 72 65 70 6c 2d 69 64 28 33 61 66 33 38 63 32 30 36 39 33 35 64 32 64 33 63 65 36 37
34 36 65 37 66 61 36 31 31 66 61 30 35 30 61 63 36 62 61 64 fa 0b 72 65 70 6c 2d 6f 66
66 73 65 74 c0 57 fa 08 61 6f 66 2d 62 61 73 65 c0 00 fe 00";

    #[test]
    fn the_offset_is_read_from_the_aux_fields_in_every_encoding() {
        assert_eq!(repl_offset(REAL), Some(87));
        assert_eq!(
            repl_id(REAL).as_deref(),
            Some("3af38c206935d2d3ce6746e7fa611fa050ac6bad")
        );
        let mut head = b"REDIS0010".to_vec();
        head.extend([0xFA, 11]);
        head.extend(b"repl-offset");
        head.extend([0xC2, 0x40, 0x42, 0x0F, 0x00]);
        assert_eq!(repl_offset(&hex(&head)), Some(1_000_000));
        let mut long = b"REDIS0010".to_vec();
        long.extend([0xFA, 11]);
        long.extend(b"repl-offset");
        long.push(13);
        long.extend(b"9876543210123");
        assert_eq!(repl_offset(&hex(&long)), Some(9_876_543_210_123));
    }

    #[test]
    fn junk_and_truncated_heads_read_as_unknown() {
        assert_eq!(repl_offset(""), None);
        assert_eq!(repl_offset("zz 52 45"), None);
        assert_eq!(repl_offset(&hex(b"REDIS0010\xfa")), None);
        let cut: String = REAL
            .split_ascii_whitespace()
            .take(140)
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(repl_offset(&cut), None);
        // Every prefix of a real head, and every byte flipped, reads without a panic.
        let bytes: Vec<&str> = REAL.split_ascii_whitespace().collect();
        for n in 0..bytes.len() {
            let _ = repl_offset(&bytes[..n].join(" "));
            for junk in ["00", "ff", "c3", "80", "7f", "fa"] {
                let mut b = bytes.clone();
                b[n] = junk;
                let _ = repl_offset(&b.join(" "));
            }
        }
    }
}
