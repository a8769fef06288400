//! RabbitMQ's classic config as Erlang terms, `{cluster_nodes, {['rabbit@mq-01', …], disc}}`:
//! the hosts of the node names are the cluster's members. The list is often written over
//! several lines, so what a line leaves open is carried to the next.

use crate::refs::features::Features;
use crate::refs::line::Line;
use std::sync::LazyLock;

/// The Erlang term of RabbitMQ's classic config: `{cluster_nodes, {[…], disc}}`.
static CLUSTER_NODES: LazyLock<memchr::memmem::Finder> =
    LazyLock::new(|| memchr::memmem::Finder::new("cluster_nodes"));

/// A list of members still open at the end of a line.
#[derive(Debug, Default)]
pub(in crate::refs) struct ListOpen {
    erlang_nodes: bool,
}

impl Line<'_> {
    /// The node atoms of a `{cluster_nodes, {[` list on this line, or of the list a line before
    /// left open.
    pub(in crate::refs) fn erlang_cluster_nodes(
        &mut self,
        features: &Features,
        open: &mut ListOpen,
    ) {
        if open.erlang_nodes {
            open.erlang_nodes = self.erlang_nodes(0);
        } else if features.brace()
            && let Some(at) = CLUSTER_NODES.find(self.text.as_bytes())
        {
            open.erlang_nodes = self.list_after(at);
        }
    }

    /// `{cluster_nodes, {[` at `at`: its node atoms, and whether the list goes on after this
    /// line.
    fn list_after(&mut self, at: usize) -> bool {
        let b = self.text.as_bytes();
        let opened = b[..at].iter().rev().find(|c| !c.is_ascii_whitespace()) == Some(&b'{');
        let mut i = at + "cluster_nodes".len();
        for expected in [b',', b'{', b'['] {
            while b.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            if !opened || b.get(i) != Some(&expected) {
                return false;
            }
            i += 1;
        }
        self.erlang_nodes(i)
    }

    /// The node atoms of an Erlang list from `from` on (`'rabbit@mq-01', rabbit@mq02`): each
    /// host a member. Whether the list is still open at the end of the line; anything else than
    /// atoms, commas and a comment ends it.
    fn erlang_nodes(&mut self, from: usize) -> bool {
        let text = self.text;
        let b = text.as_bytes();
        let mut i = from;
        loop {
            while b
                .get(i)
                .is_some_and(|c| c.is_ascii_whitespace() || *c == b',')
            {
                i += 1;
            }
            let (start, atom) = match b.get(i) {
                None | Some(b'%') => return true,
                Some(b']') => return false,
                Some(b'\'') => {
                    let Some(len) = memchr::memchr(b'\'', &b[i + 1..]) else {
                        return false;
                    };
                    (i, &text[i + 1..i + 1 + len])
                }
                Some(c) if c.is_ascii_alphabetic() => {
                    let len = b[i..]
                        .iter()
                        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'@'))
                        .count();
                    (i, &text[i..i + len])
                }
                Some(_) => return false,
            };
            let quotes = if b[start] == b'\'' { 2 } else { 0 };
            i = start + atom.len() + quotes;
            if let Some((_, host)) = atom.rsplit_once('@')
                && self.free(start, i)
            {
                self.claim(start, i);
                self.add(host, None, start, i);
            }
        }
    }
}
