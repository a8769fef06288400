//! Remote output is hostile input of any size: it is read as it arrives into a bounded buffer
//! (a head, a tail, and a count of what was between), so comeback's memory stays flat whatever
//! a host or a health endpoint sends.

use std::collections::VecDeque;
use tokio::io::{AsyncRead, AsyncReadExt};

/// How much of a stream to keep: its first `head` bytes and its last `tail` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Keep {
    pub head: usize,
    pub tail: usize,
}

/// What is kept of a stream as it arrives.
#[derive(Debug, Clone)]
pub(crate) struct Captured {
    keep: Keep,
    head: Vec<u8>,
    tail: VecDeque<u8>,
    /// Bytes that were neither kept in the head nor are still in the tail.
    dropped: u64,
}

impl Captured {
    pub(crate) fn new(keep: Keep) -> Self {
        Captured {
            keep,
            head: Vec::new(),
            tail: VecDeque::new(),
            dropped: 0,
        }
    }

    /// Takes the next bytes of the stream.
    pub(crate) fn push(&mut self, bytes: &[u8]) {
        let room = self.keep.head - self.head.len();
        let (to_head, rest) = bytes.split_at(room.min(bytes.len()));
        self.head.extend_from_slice(to_head);
        if rest.len() >= self.keep.tail {
            // The whole tail is replaced: what it held and what precedes the new one go.
            self.dropped += (self.tail.len() + rest.len() - self.keep.tail) as u64;
            self.tail.clear();
            self.tail.extend(&rest[rest.len() - self.keep.tail..]);
        } else {
            self.tail.extend(rest);
            let over = self.tail.len().saturating_sub(self.keep.tail);
            self.tail.drain(..over);
            self.dropped += over as u64;
        }
    }

    /// How many bytes of the stream were not kept.
    pub(crate) fn dropped(&self) -> u64 {
        self.dropped
    }

    /// The stream as text: whole when nothing was dropped; else its head, a line saying how
    /// much was left out, and its tail. Invalid UTF-8 is shown as U+FFFD.
    pub(crate) fn text(&self) -> String {
        let (a, b) = self.tail.as_slices();
        if self.dropped == 0 {
            let whole = [self.head.as_slice(), a, b].concat();
            return String::from_utf8_lossy(&whole).into_owned();
        }
        let mut tail = [a, b].concat();
        // The tail starts on a character, not inside one.
        let skip = tail
            .iter()
            .take(3)
            .take_while(|&&b| b & 0xC0 == 0x80)
            .count();
        tail.drain(..skip);
        format!(
            "{}\n[… {} bytes not kept …]\n{}",
            String::from_utf8_lossy(&self.head),
            self.dropped + skip as u64,
            String::from_utf8_lossy(&tail)
        )
    }
}

/// Reads `stream` to its end, keeping what `keep` says; nothing to read when there is none.
pub(crate) async fn read<R: AsyncRead + Unpin>(
    stream: Option<R>,
    keep: Keep,
) -> std::io::Result<Captured> {
    let mut captured = Captured::new(keep);
    let Some(mut stream) = stream else {
        return Ok(captured);
    };
    let mut buffer = vec![0; 64 << 10];
    loop {
        match stream.read(&mut buffer).await? {
            0 => return Ok(captured),
            n => captured.push(&buffer[..n]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn captured(keep: Keep, chunks: &[&[u8]]) -> Captured {
        let mut c = Captured::new(keep);
        for chunk in chunks {
            c.push(chunk);
        }
        c
    }

    #[test]
    fn a_short_stream_is_kept_whole() {
        let keep = Keep { head: 4, tail: 4 };
        let c = captured(keep, &[b"abc", b"defg", b"h"]);
        assert_eq!((c.text().as_str(), c.dropped()), ("abcdefgh", 0));
    }

    #[test]
    fn a_long_stream_keeps_its_head_and_tail_and_counts_the_rest() {
        let keep = Keep { head: 3, tail: 4 };
        for chunks in [
            vec![&b"0123456789"[..]],
            vec![b"01", b"2345", b"6", b"789"],
            vec![b"0", b"1", b"2", b"3", b"4", b"5", b"6", b"7", b"8", b"9"],
        ] {
            let c = captured(keep, &chunks);
            assert_eq!(c.dropped(), 3, "{chunks:?}");
            assert_eq!(c.text(), "012\n[… 3 bytes not kept …]\n6789");
        }
        let c = captured(Keep { head: 2, tail: 0 }, &[b"0123"]);
        assert_eq!(c.text(), "01\n[… 2 bytes not kept …]\n");
    }

    #[test]
    fn a_tail_cut_inside_a_character_starts_at_the_next_one() {
        let c = captured(Keep { head: 0, tail: 4 }, &["xxé€".as_bytes()]);
        assert_eq!(c.text(), "\n[… 4 bytes not kept …]\n€");
    }

    #[tokio::test]
    async fn reading_256_mib_keeps_only_what_it_was_told() {
        let zeros = tokio::io::repeat(0).take(1 << 28);
        let c = read(Some(zeros), Keep { head: 10, tail: 10 })
            .await
            .expect("read");
        assert_eq!(c.dropped(), (1 << 28) - 20);
        assert!(c.head.capacity() < 1 << 20 && c.tail.capacity() < 1 << 20);
    }
}
