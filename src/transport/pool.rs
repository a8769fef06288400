//! The policy of a bounded set of connections, without the connections' I/O: at most
//! `capacity` open (or opening) at once, opened on demand, the least recently used idle one
//! closed first, never one with a command in flight; at most `sessions` commands at once over
//! one connection. Pure bookkeeping, so that the policy is
//! tested without SSH; `masters` drives it with real masters.

use std::collections::HashMap;
use std::hash::Hash;

/// What a caller that wants a connection to a key does next.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Grant<K, C> {
    /// Open: use it (counted in flight until [`Pool::release`]).
    Ready(C),
    /// Not open, and a slot is reserved for the caller: it closes `evict` first when given
    /// (already out of the pool, whose key waits until [`Pool::closed`]), then opens the
    /// connection and says how it went ([`Pool::opened`] or [`Pool::failed`]).
    Open { evict: Option<(K, C)> },
    /// Every slot is busy, another caller is opening or closing this key, or its connection
    /// carries as many commands as it may: wait for a change, then ask again.
    Wait,
}

#[derive(Debug)]
enum State<C> {
    /// A caller holds the slot and is connecting.
    Opening,
    Open(C),
    /// Evicted: its connection is being closed by the caller that took its slot.
    Closing,
}

#[derive(Debug)]
struct Entry<C> {
    state: State<C>,
    /// Commands running over it (and the opener, until it releases).
    in_flight: usize,
    /// When it was last released: the smallest is the least recently used.
    last_used: u64,
}

/// The bounded set of connections; `C` is cheap to clone (an `Arc`) and shared by the commands
/// in flight.
#[derive(Debug)]
pub(crate) struct Pool<K, C> {
    capacity: usize,
    sessions: usize,
    entries: HashMap<K, Entry<C>>,
    clock: u64,
}

impl<K: Copy + Eq + Hash, C: Clone> Pool<K, C> {
    /// At most `capacity` connections open at once, and `sessions` commands at once over each
    /// (both at least 1).
    pub(crate) fn new(capacity: usize, sessions: usize) -> Self {
        Pool {
            capacity: capacity.max(1),
            sessions: sessions.max(1),
            entries: HashMap::new(),
            clock: 0,
        }
    }

    /// Slots taken: connections open or opening. A closing one is not counted: its slot is
    /// the opener's, who waits for the close before it connects.
    pub(crate) fn used(&self) -> usize {
        self.entries
            .values()
            .filter(|e| matches!(e.state, State::Opening | State::Open(_)))
            .count()
    }

    /// A connection to `key`: see [`Grant`].
    pub(crate) fn acquire(&mut self, key: K) -> Grant<K, C> {
        if let Some(entry) = self.entries.get_mut(&key) {
            return match &entry.state {
                State::Open(conn) if entry.in_flight < self.sessions => {
                    entry.in_flight += 1;
                    Grant::Ready(conn.clone())
                }
                State::Open(_) | State::Opening | State::Closing => Grant::Wait,
            };
        }
        let evict = if self.used() < self.capacity {
            None
        } else {
            let Some(victim) = self.least_recently_used_idle() else {
                return Grant::Wait;
            };
            let entry = self.entries.get_mut(&victim).expect("just found");
            let State::Open(conn) = std::mem::replace(&mut entry.state, State::Closing) else {
                unreachable!("only open entries are idle candidates")
            };
            Some((victim, conn))
        };
        self.entries.insert(
            key,
            Entry {
                state: State::Opening,
                in_flight: 1,
                last_used: self.clock,
            },
        );
        Grant::Open { evict }
    }

    /// The open connection of `key`, counted in flight, if it is open and has a session to
    /// spare; never opens one (to keep an open master alive without reopening a closed one: a
    /// busy one needs no keeping).
    pub(crate) fn acquire_open(&mut self, key: K) -> Option<C> {
        match self.entries.get_mut(&key) {
            Some(Entry {
                state: State::Open(conn),
                in_flight,
                ..
            }) if *in_flight < self.sessions => {
                *in_flight += 1;
                Some(conn.clone())
            }
            _ => None,
        }
    }

    fn least_recently_used_idle(&self) -> Option<K> {
        self.entries
            .iter()
            .filter(|(_, e)| e.in_flight == 0 && matches!(e.state, State::Open(_)))
            .min_by_key(|(_, e)| e.last_used)
            .map(|(k, _)| *k)
    }

    /// The caller that got [`Grant::Open`] for `key` connected: it is open, and in flight for
    /// that caller until it releases it.
    pub(crate) fn opened(&mut self, key: K, conn: C) {
        if let Some(entry) = self.entries.get_mut(&key) {
            entry.state = State::Open(conn);
        }
    }

    /// The caller that got [`Grant::Open`] for `key` could not connect: its slot is free.
    pub(crate) fn failed(&mut self, key: K) {
        if matches!(
            self.entries.get(&key).map(|e| &e.state),
            Some(State::Opening)
        ) {
            self.entries.remove(&key);
        }
    }

    /// The evicted connection of `key` is closed: `key` may be opened again.
    pub(crate) fn closed(&mut self, key: K) {
        if matches!(
            self.entries.get(&key).map(|e| &e.state),
            Some(State::Closing)
        ) {
            self.entries.remove(&key);
        }
    }

    /// A command over `key`'s connection ended; `touch`: it counts as a use for the LRU order
    /// (a keep-alive ping does not).
    pub(crate) fn release(&mut self, key: K, touch: bool) {
        self.clock += 1;
        if let Some(entry) = self.entries.get_mut(&key) {
            entry.in_flight = entry.in_flight.saturating_sub(1);
            if touch {
                entry.last_used = self.clock;
            }
        }
    }

    /// Takes `key`'s connection out when it is open and idle (a dead master to replace): the
    /// caller closes it, then says [`Pool::closed`].
    pub(crate) fn take_idle(&mut self, key: K) -> Option<C> {
        let entry = self.entries.get_mut(&key)?;
        if entry.in_flight > 0 || !matches!(entry.state, State::Open(_)) {
            return None;
        }
        match std::mem::replace(&mut entry.state, State::Closing) {
            State::Open(conn) => Some(conn),
            _ => None,
        }
    }

    /// The keys whose connection is open now.
    pub(crate) fn open_keys(&self) -> Vec<K> {
        self.entries
            .iter()
            .filter(|(_, e)| matches!(e.state, State::Open(_)))
            .map(|(k, _)| *k)
            .collect()
    }

    /// Every open connection, taken out (the run ends).
    pub(crate) fn drain(&mut self) -> Vec<(K, C)> {
        self.entries
            .drain()
            .filter_map(|(k, e)| match e.state {
                State::Open(conn) => Some((k, conn)),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type P = Pool<u32, &'static str>;

    /// Opens `key` as a caller would, and releases it.
    fn open(pool: &mut P, key: u32, conn: &'static str) -> Option<(u32, &'static str)> {
        let Grant::Open { evict } = pool.acquire(key) else {
            panic!("expected to open {key}");
        };
        if let Some((victim, _)) = evict {
            pool.closed(victim);
        }
        pool.opened(key, conn);
        pool.release(key, true);
        evict
    }

    #[test]
    fn a_connection_carries_at_most_its_sessions_and_a_release_frees_one() {
        let mut pool = P::new(2, 2);
        // The opener holds the first session until it releases.
        assert!(matches!(pool.acquire(1), Grant::Open { evict: None }));
        pool.opened(1, "a");
        assert_eq!(pool.acquire(1), Grant::Ready("a"));
        assert_eq!(pool.acquire(1), Grant::Wait);
        assert_eq!(pool.acquire_open(1), None);
        pool.release(1, true);
        assert_eq!(pool.acquire(1), Grant::Ready("a"));
        // Another key is not held up by it.
        assert!(matches!(pool.acquire(2), Grant::Open { evict: None }));
    }

    #[test]
    fn opens_on_demand_and_reuses_an_open_connection() {
        let mut pool = P::new(2, 8);
        assert_eq!(pool.used(), 0);
        assert_eq!(open(&mut pool, 1, "a"), None);
        assert_eq!(pool.acquire(1), Grant::Ready("a"));
        pool.release(1, true);
        assert_eq!(pool.used(), 1);
    }

    #[test]
    fn the_bound_is_respected_and_the_least_recently_used_idle_one_goes_first() {
        let mut pool = P::new(2, 8);
        open(&mut pool, 1, "a");
        open(&mut pool, 2, "b");
        // 1 is used again after 2: 2 is now the least recently used.
        assert_eq!(pool.acquire(1), Grant::Ready("a"));
        pool.release(1, true);
        assert_eq!(open(&mut pool, 3, "c"), Some((2, "b")));
        assert_eq!(pool.used(), 2);
        assert_eq!(open(&mut pool, 4, "d"), Some((1, "a")));
        let mut keys = pool.open_keys();
        keys.sort();
        assert_eq!(keys, [3, 4]);
    }

    #[test]
    fn a_connection_with_a_command_in_flight_is_never_closed() {
        let mut pool = P::new(2, 8);
        open(&mut pool, 1, "a");
        open(&mut pool, 2, "b");
        // 1 is the least recently used, but busy: 2 goes instead.
        assert_eq!(pool.acquire(1), Grant::Ready("a"));
        assert_eq!(open(&mut pool, 3, "c"), Some((2, "b")));
        // Both busy now: a fourth waits until one is released.
        assert_eq!(pool.acquire(3), Grant::Ready("c"));
        assert_eq!(pool.acquire(4), Grant::Wait);
        pool.release(3, true);
        assert_eq!(open(&mut pool, 4, "d"), Some((3, "c")));
        pool.release(1, true);
    }

    #[test]
    fn an_opening_slot_counts_and_callers_of_its_key_wait() {
        let mut pool = P::new(1, 8);
        assert_eq!(pool.acquire(1), Grant::Open { evict: None });
        assert_eq!(pool.acquire(1), Grant::Wait, "one opener per key");
        assert_eq!(pool.acquire(2), Grant::Wait, "the only slot is taken");
        pool.failed(1);
        assert_eq!(pool.used(), 0);
        assert_eq!(pool.acquire(2), Grant::Open { evict: None });
    }

    #[test]
    fn an_evicted_key_reopens_only_once_its_old_connection_is_closed() {
        let mut pool = P::new(1, 8);
        open(&mut pool, 1, "a");
        let Grant::Open { evict } = pool.acquire(2) else {
            panic!("2 takes 1's slot");
        };
        assert_eq!(evict, Some((1, "a")));
        // 1 is still closing: a command for it waits rather than race the close.
        assert_eq!(pool.acquire(1), Grant::Wait);
        pool.closed(1);
        pool.opened(2, "b");
        pool.release(2, true);
        // Reopened transparently, taking 2's slot in turn.
        assert_eq!(open(&mut pool, 1, "a2"), Some((2, "b")));
        assert_eq!(pool.acquire(1), Grant::Ready("a2"));
    }

    #[test]
    fn a_keep_alive_neither_opens_nor_changes_the_order() {
        let mut pool = P::new(2, 8);
        assert_eq!(pool.acquire_open(1), None, "never opens");
        open(&mut pool, 1, "a");
        open(&mut pool, 2, "b");
        assert_eq!(pool.acquire_open(1), Some("a"));
        pool.release(1, false);
        assert_eq!(
            open(&mut pool, 3, "c"),
            Some((1, "a")),
            "1 is still the oldest"
        );
    }

    #[test]
    fn only_an_idle_open_connection_is_taken_out_to_be_replaced() {
        let mut pool = P::new(2, 8);
        open(&mut pool, 1, "a");
        assert_eq!(pool.acquire(1), Grant::Ready("a"));
        assert_eq!(pool.take_idle(1), None, "in flight");
        pool.release(1, true);
        assert_eq!(pool.take_idle(1), Some("a"));
        assert_eq!(pool.acquire(1), Grant::Wait, "closing");
        pool.closed(1);
        assert_eq!(pool.acquire(1), Grant::Open { evict: None });
    }

    #[test]
    fn many_keys_through_a_small_pool_never_exceed_it() {
        let mut pool = P::new(3, 8);
        for round in 0..5u32 {
            for key in 0..20u32 {
                match pool.acquire(key) {
                    Grant::Ready(_) => pool.release(key, true),
                    Grant::Open { evict } => {
                        if let Some((victim, _)) = evict {
                            pool.closed(victim);
                        }
                        assert!(pool.used() <= 3, "round {round}, key {key}");
                        pool.opened(key, "x");
                        pool.release(key, true);
                    }
                    Grant::Wait => panic!("nothing is in flight"),
                }
                assert!(pool.used() <= 3);
            }
        }
        assert_eq!(pool.drain().len(), 3);
        assert_eq!(pool.used(), 0);
    }
}
