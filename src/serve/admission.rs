//! Who may connect, and for how long they keep their place.
//!
//! Two checks, both keyed on the client's address (the peer's, or for a
//! `--trusted-proxy` balancer the one its PROXY header carries):
//!
//! - **Rates**, at accept, before any SSH work: a token bucket per address
//!   and one per IPv6 /64 that refill steadily (never a ban that renews
//!   while a client keeps retrying), so a flood is refused for the price of
//!   a `close`.
//! - **Places**, in one [`Table`] of the live connections: those still
//!   logging in and those visiting, in total and per address. Every change
//!   goes through the table's few methods under one lock, so the counts are
//!   the live connections by construction, never a tally that can drift.
//!
//! When every place for connections still logging in is taken, the oldest
//! connection of the address that holds the most of them gives its place up
//! (visitors log in at once; it is the silent ones that wait, and one
//! address cannot push another's logins out by opening many of its own).

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use tokio::sync::Notify;

/// A steadily refilling allowance of new connections.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// New connections a second, in the long run.
    pub per_second: f64,
    /// How many may come at once after a quiet spell.
    pub burst: f64,
}

/// The limits the server enforces (from the `serve` flags).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Visitors at once, and separately connections still logging in.
    pub max_sessions: usize,
    /// Connections (logging in or visiting) from one address at once.
    pub max_per_ip: usize,
    /// New connections per address.
    pub per_ip: Rate,
    /// New connections per IPv6 /64 (one host's usual share of addresses).
    pub per_64: Rate,
}

/// Why a connection was not let in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Refusal {
    /// Its address (or its /64) connects faster than the rate allows.
    Rate,
    /// Its address already holds `max_per_ip` connections.
    PerAddress,
}

impl Refusal {
    /// For the log.
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Refusal::Rate => "rate limit",
            Refusal::PerAddress => "connection limit",
        }
    }

    /// For the log's summary of refusals.
    pub(crate) fn kind(self) -> &'static str {
        match self {
            Refusal::Rate => "refused (rate limit)",
            Refusal::PerAddress => "refused (connection limit)",
        }
    }
}

/// Why a connection lost its place after it was let in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expulsion {
    /// Still logging in when newcomers needed its place.
    Evicted,
    /// Logged in when every visitor's place was taken.
    Full,
}

/// Rung once when a connection loses its place; the connection then ends.
#[derive(Debug, Default)]
pub(crate) struct Bell {
    why: OnceLock<Expulsion>,
    notify: Notify,
}

impl Bell {
    fn ring(&self, why: Expulsion) {
        if self.why.set(why).is_ok() {
            self.notify.notify_one();
        }
    }

    /// Waits until the bell rings; why it rang.
    pub async fn rung(&self) -> Expulsion {
        loop {
            if let Some(why) = self.why.get() {
                return *why;
            }
            self.notify.notified().await;
        }
    }
}

/// The server's admission: rates and places.
#[derive(Debug)]
pub(crate) struct Admission {
    limits: Limits,
    table: Mutex<Table>,
    rates: Mutex<Rates>,
}

impl Admission {
    pub fn new(limits: Limits) -> Admission {
        Admission {
            limits,
            table: Mutex::new(Table::default()),
            rates: Mutex::new(Rates::default()),
        }
    }

    /// A place for a new connection from `client`, if the rates and limits
    /// allow one. The permit gives the place back when dropped; its bell
    /// rings if the place is taken away first.
    pub(crate) fn admit(self: &Arc<Self>, client: IpAddr) -> Result<Permit, Refusal> {
        let client = client.to_canonical();
        let now = Instant::now();
        let allowed = self
            .rates
            .lock()
            .map(|mut r| r.take(client, &self.limits, now))
            .unwrap_or(false);
        if !allowed {
            return Err(Refusal::Rate);
        }
        self.place(client)
    }

    /// A place for a new connection from `client` without taking from its
    /// rates: for a trusted balancer's own connections (its health checks),
    /// which are exempt from them. The per-address limit still holds.
    pub(crate) fn place(self: &Arc<Self>, client: IpAddr) -> Result<Permit, Refusal> {
        let client = client.to_canonical();
        let mut table = self.table.lock().map_err(|_| Refusal::PerAddress)?;
        let (id, bell) = table.admit(client, &self.limits)?;
        Ok(Permit {
            admission: Arc::clone(self),
            id,
            bell,
        })
    }

    /// (visiting, logging in) now.
    pub(crate) fn counts(&self) -> (usize, usize) {
        self.table
            .lock()
            .map(|t| (t.visiting(), t.logging_in()))
            .unwrap_or((0, 0))
    }

    /// Connections now, logging in or visiting.
    pub(crate) fn live(&self) -> usize {
        self.table.lock().map(|t| t.entries.len()).unwrap_or(0)
    }
}

/// A connection's place, given back when dropped.
#[derive(Debug)]
pub(crate) struct Permit {
    admission: Arc<Admission>,
    id: u64,
    bell: Arc<Bell>,
}

impl Permit {
    /// The bell that rings when this connection loses its place.
    pub(crate) fn bell(&self) -> Arc<Bell> {
        Arc::clone(&self.bell)
    }

    /// Turns the place of a connection logging in into a visitor's place.
    /// False when every visitor's place is taken (the connection's place is
    /// then given up at once and its bell rings) or it was already evicted.
    pub(crate) fn promote(&self) -> bool {
        let limits = &self.admission.limits;
        self.admission
            .table
            .lock()
            .map(|mut t| t.promote(self.id, limits))
            .unwrap_or(false)
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if let Ok(mut t) = self.admission.table.lock() {
            t.release(self.id);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    LoggingIn,
    Visiting,
}

#[derive(Debug)]
struct Entry {
    client: IpAddr,
    stage: Stage,
    bell: Arc<Bell>,
}

/// The live connections, and two indexes kept with them under one lock;
/// the counts are derived from them, never kept beside them.
#[derive(Debug, Default)]
struct Table {
    entries: HashMap<u64, Entry>,
    /// Per address: its connections still logging in, oldest first.
    logging_in: HashMap<IpAddr, VecDeque<u64>>,
    /// Per address: all its connections.
    per_ip: HashMap<IpAddr, usize>,
    next_id: u64,
}

impl Table {
    fn admit(&mut self, client: IpAddr, limits: &Limits) -> Result<(u64, Arc<Bell>), Refusal> {
        if self.per_ip.get(&client).copied().unwrap_or(0) >= limits.max_per_ip {
            return Err(Refusal::PerAddress);
        }
        if self.logging_in() >= limits.max_sessions {
            self.evict_one();
        }
        let id = self.next_id;
        self.next_id += 1;
        let bell = Arc::new(Bell::default());
        self.entries.insert(
            id,
            Entry {
                client,
                stage: Stage::LoggingIn,
                bell: Arc::clone(&bell),
            },
        );
        self.logging_in.entry(client).or_default().push_back(id);
        *self.per_ip.entry(client).or_insert(0) += 1;
        Ok((id, bell))
    }

    /// Takes the place of the oldest connection logging in from the address
    /// that holds most such places (the oldest such address on a tie).
    fn evict_one(&mut self) {
        let victim = self
            .logging_in
            .values()
            .filter_map(|q| Some((q.len(), *q.front()?)))
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
            .map(|(_, id)| id);
        if let Some(id) = victim
            && let Some(entry) = self.remove(id)
        {
            entry.bell.ring(Expulsion::Evicted);
        }
    }

    fn promote(&mut self, id: u64, limits: &Limits) -> bool {
        let Some(entry) = self.entries.get(&id) else {
            return false;
        };
        if entry.stage == Stage::Visiting {
            return true;
        }
        if self.visiting() >= limits.max_sessions {
            if let Some(entry) = self.remove(id) {
                entry.bell.ring(Expulsion::Full);
            }
            return false;
        }
        let client = entry.client;
        self.unqueue(client, id);
        if let Some(entry) = self.entries.get_mut(&id) {
            entry.stage = Stage::Visiting;
        }
        true
    }

    /// Connections still logging in: those in the per-address queues.
    fn logging_in(&self) -> usize {
        self.logging_in.values().map(VecDeque::len).sum()
    }

    /// Visitors: every other connection.
    fn visiting(&self) -> usize {
        self.entries.len() - self.logging_in()
    }

    fn release(&mut self, id: u64) {
        self.remove(id);
    }

    /// Removes a connection from the table and both indexes.
    fn remove(&mut self, id: u64) -> Option<Entry> {
        let entry = self.entries.remove(&id)?;
        match entry.stage {
            Stage::LoggingIn => self.unqueue(entry.client, id),
            Stage::Visiting => {}
        }
        if let Some(n) = self.per_ip.get_mut(&entry.client) {
            *n -= 1;
            if *n == 0 {
                self.per_ip.remove(&entry.client);
            }
        }
        Some(entry)
    }

    fn unqueue(&mut self, client: IpAddr, id: u64) {
        if let Some(queue) = self.logging_in.get_mut(&client) {
            queue.retain(|&x| x != id);
            if queue.is_empty() {
                self.logging_in.remove(&client);
            }
        }
    }

    /// Whether the counts and indexes agree with the entries.
    #[cfg(test)]
    fn consistent(&self) -> Result<(), String> {
        let visiting = self
            .entries
            .values()
            .filter(|e| e.stage == Stage::Visiting)
            .count();
        if visiting != self.visiting() {
            return Err(format!(
                "{} queued as logging in, but {visiting} of {} entries visit",
                self.logging_in(),
                self.entries.len()
            ));
        }
        for (client, queue) in &self.logging_in {
            for id in queue {
                let ok = self
                    .entries
                    .get(id)
                    .is_some_and(|e| e.stage == Stage::LoggingIn && e.client == *client);
                if !ok {
                    return Err(format!("queue of {client} holds {id}, not logging in"));
                }
            }
        }
        let mut per_ip: HashMap<IpAddr, usize> = HashMap::new();
        for e in self.entries.values() {
            *per_ip.entry(e.client).or_insert(0) += 1;
        }
        if per_ip != self.per_ip {
            return Err(format!("per address {:?}, entries {per_ip:?}", self.per_ip));
        }
        Ok(())
    }
}

/// How many addresses (or /64s) the rate tables remember before they
/// forget the ones whose buckets are full again (a full bucket is the same
/// as none), and the most they hold even under a flood from everywhere.
const PRUNE_AT: usize = 4096;
const MAX_TRACKED: usize = 65_536;

/// Token buckets per address and per IPv6 /64.
#[derive(Debug, Default)]
struct Rates {
    per_ip: Buckets<IpAddr>,
    per_64: Buckets<u64>,
}

impl Rates {
    /// Takes a token for `client` from its /64's bucket (IPv6) and its own.
    fn take(&mut self, client: IpAddr, limits: &Limits, now: Instant) -> bool {
        if let Some(prefix) = slash_64(client)
            && !self.per_64.take(prefix, limits.per_64, now)
        {
            return false;
        }
        self.per_ip.take(client, limits.per_ip, now)
    }
}

/// The /64 an IPv6 address belongs to; `None` for IPv4.
fn slash_64(ip: IpAddr) -> Option<u64> {
    match ip {
        IpAddr::V4(_) => None,
        IpAddr::V6(v6) => Some((u128::from(v6) >> 64) as u64),
    }
}

#[derive(Debug)]
struct Buckets<K> {
    map: HashMap<K, Bucket>,
}

impl<K> Default for Buckets<K> {
    fn default() -> Self {
        Buckets {
            map: HashMap::new(),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn refilled(self, rate: Rate, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        (self.tokens + elapsed * rate.per_second).min(rate.burst)
    }
}

impl<K: std::hash::Hash + Eq + Copy> Buckets<K> {
    fn take(&mut self, key: K, rate: Rate, now: Instant) -> bool {
        if !self.map.contains_key(&key) && self.map.len() >= PRUNE_AT {
            self.map.retain(|_, b| b.refilled(rate, now) < rate.burst);
            if self.map.len() >= MAX_TRACKED {
                // Fail closed: too many addresses at once to tell apart.
                return false;
            }
        }
        let bucket = self.map.entry(key).or_insert(Bucket {
            tokens: rate.burst,
            at: now,
        });
        let tokens = bucket.refilled(rate, now);
        bucket.at = now;
        if tokens >= 1.0 {
            bucket.tokens = tokens - 1.0;
            true
        } else {
            bucket.tokens = tokens;
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::net::Ipv4Addr;
    use std::time::Duration;

    fn limits(max_sessions: usize, max_per_ip: usize) -> Limits {
        let fast = Rate {
            per_second: 1e9,
            burst: 1e9,
        };
        Limits {
            max_sessions,
            max_per_ip,
            per_ip: fast,
            per_64: fast,
        }
    }

    fn v4(last: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(127, 0, 0, last))
    }

    fn v6(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn a_full_server_lets_nobody_linger_and_then_admits_again() {
        // The lockout found in issue 9: 4 holders, 4 more log in while full,
        // 4 connect from elsewhere, the holders leave: 0 visitors, and new
        // logins must get in.
        let a = Arc::new(Admission::new(limits(4, 8)));
        let holders: Vec<Permit> = (0..4).map(|_| a.admit(v4(1)).unwrap()).collect();
        assert!(holders.iter().all(Permit::promote));
        let late: Vec<Permit> = (0..4).map(|_| a.admit(v4(1)).unwrap()).collect();
        for p in &late {
            assert!(!p.promote(), "a login past the limit got a place");
            assert_eq!(p.bell.why.get(), Some(&Expulsion::Full));
        }
        let others: Vec<Permit> = (0..4).map(|_| a.admit(v4(2)).unwrap()).collect();
        drop(others);
        drop(holders);
        assert_eq!(a.live(), 0, "places held with nobody inside");
        for _ in 0..3 {
            let p = a.admit(v4(3)).unwrap();
            assert!(p.promote());
        }
        drop(late);
        a.table.lock().unwrap().consistent().unwrap();
    }

    #[test]
    fn eviction_takes_from_the_address_holding_most() {
        let a = Arc::new(Admission::new(limits(4, 8)));
        let visitor = a.admit(v4(50)).unwrap();
        let silent: Vec<Permit> = (0..3).map(|_| a.admit(v4(9)).unwrap()).collect();
        // Full: every newcomer from .9 pushes out an older .9, never .50.
        let more: Vec<Permit> = (0..10).map(|_| a.admit(v4(9)).unwrap()).collect();
        assert!(
            visitor.bell.why.get().is_none(),
            "the lone visitor was evicted"
        );
        assert!(visitor.promote());
        let evicted = silent
            .iter()
            .chain(&more)
            .filter(|p| p.bell.why.get() == Some(&Expulsion::Evicted))
            .count();
        assert_eq!(evicted, 13 - 3);
        a.table.lock().unwrap().consistent().unwrap();
    }

    #[test]
    fn per_address_limit_counts_both_stages() {
        let a = Arc::new(Admission::new(limits(10, 2)));
        let first = a.admit(v4(1)).unwrap();
        assert!(first.promote());
        let _second = a.admit(v4(1)).unwrap();
        assert_eq!(a.admit(v4(1)).unwrap_err(), Refusal::PerAddress);
        drop(first);
        assert!(a.admit(v4(1)).is_ok());
    }

    #[test]
    fn ipv4_mapped_addresses_count_as_ipv4() {
        let a = Arc::new(Admission::new(limits(10, 1)));
        let _p = a.admit(v4(1)).unwrap();
        assert_eq!(
            a.admit(v6("::ffff:127.0.0.1")).unwrap_err(),
            Refusal::PerAddress
        );
    }

    fn rated(per_ip: Rate, per_64: Rate) -> Limits {
        Limits {
            max_sessions: 1000,
            max_per_ip: 1000,
            per_ip,
            per_64,
        }
    }

    const SLOW: Rate = Rate {
        per_second: 2.0,
        burst: 4.0,
    };

    #[test]
    fn a_bucket_allows_its_burst_then_refills_steadily() {
        let limits = rated(SLOW, SLOW);
        let mut rates = Rates::default();
        let t0 = Instant::now();
        let ip = v4(1);
        assert_eq!(
            (0..6).filter(|_| rates.take(ip, &limits, t0)).count(),
            4,
            "burst"
        );
        // Retrying all the time never renews a ban: half a second gives a token.
        let mut t = t0;
        for _ in 0..10 {
            t += Duration::from_millis(50);
            let _ = rates.take(ip, &limits, t);
        }
        assert!(rates.take(ip, &limits, t0 + Duration::from_millis(1000)));
        // Other addresses have buckets of their own.
        assert!(rates.take(v4(2), &limits, t0));
    }

    #[test]
    fn one_ipv6_slash_64_shares_one_bucket() {
        let per_ip = Rate {
            per_second: 100.0,
            burst: 100.0,
        };
        let limits = rated(per_ip, SLOW);
        let mut rates = Rates::default();
        let t0 = Instant::now();
        // Walking through a /64 with a new address each time does not help.
        let admitted = (0..100u16)
            .filter(|i| rates.take(v6(&format!("2001:db8:1:2::{i:x}")), &limits, t0))
            .count();
        assert_eq!(admitted, 4);
        // The next /64 over is another network.
        assert!(rates.take(v6("2001:db8:1:3::1"), &limits, t0));
    }

    #[test]
    fn rate_tables_forget_full_buckets_and_stay_bounded() {
        let limits = rated(SLOW, SLOW);
        let mut rates = Rates::default();
        let t0 = Instant::now();
        for i in 0..(PRUNE_AT as u32) {
            rates.take(IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + i)), &limits, t0);
        }
        // Three seconds later every bucket is full again and forgotten.
        let later = t0 + Duration::from_secs(3);
        assert!(rates.take(v4(1), &limits, later));
        assert!(rates.per_ip.map.len() < 10);
    }

    #[derive(Debug, Clone)]
    enum Step {
        Connect(u8),
        Promote(usize),
        Leave(usize),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (0u8..4).prop_map(Step::Connect),
            (0usize..64).prop_map(Step::Promote),
            (0usize..64).prop_map(Step::Leave),
        ]
    }

    proptest! {
        /// Whatever connects, logs in, leaves or is evicted, in any order,
        /// the counts are exactly the live connections and the limits hold.
        #[test]
        fn counts_always_equal_the_live_connections(
            steps in proptest::collection::vec(step(), 1..200),
            max_sessions in 1usize..5,
            max_per_ip in 1usize..6,
        ) {
            let a = Arc::new(Admission::new(limits(max_sessions, max_per_ip)));
            let mut live: Vec<Permit> = Vec::new();
            for step in steps {
                match step {
                    Step::Connect(ip) => {
                        if let Ok(p) = a.admit(v4(ip)) {
                            live.push(p);
                        }
                    }
                    Step::Promote(i) if !live.is_empty() => {
                        let p = &live[i % live.len()];
                        p.promote();
                    }
                    Step::Leave(i) if !live.is_empty() => {
                        let n = live.len();
                        live.remove(i % n);
                    }
                    _ => {}
                }
                // A connection whose bell rang ends: its task drops the permit.
                live.retain(|p| p.bell.why.get().is_none());
                let t = a.table.lock().unwrap();
                prop_assert_eq!(t.consistent(), Ok(()));
                prop_assert_eq!(t.entries.len(), live.len());
                prop_assert!(t.visiting() <= max_sessions);
                prop_assert!(t.logging_in() <= max_sessions);
                prop_assert!(t.per_ip.values().all(|&n| n <= max_per_ip));
            }
        }
    }
}
