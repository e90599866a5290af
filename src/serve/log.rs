//! The server's log on stderr: one line per visit, and the noise of the
//! internet (refused, evicted, silent and broken connections) kept to a few
//! lines per interval with the rest summarised, so a flood cannot fill a
//! disk (a trusted balancer's health checks are only ever counted). Every field a client chose is quoted and escaped, so no line can
//! be forged; and a dead stderr never stops or panics the server.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How often held-back noise is summarised.
pub(crate) const WINDOW: Duration = Duration::from_secs(10);
/// Noise lines written one by one in each window before the rest is counted.
const LINES_PER_WINDOW: usize = 20;
/// Distinct addresses remembered per window for the summary.
const ADDRESSES_PER_WINDOW: usize = 1024;

/// Writes one line to stderr, ignoring a closed or broken stderr.
pub fn line(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "termfolio serve: {text}");
}

/// `text` as a double-quoted string with `"`, `\` and every control or
/// invisible formatting character escaped: safe to put in a log line.
pub(crate) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if crate::profile::sanitize::is_forbidden(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The rate-limited part of the log.
#[derive(Debug)]
pub(crate) struct Noise {
    state: Mutex<Window>,
    /// Every connection noted or counted since the start, by kind (for the
    /// operator's stats line).
    totals: Mutex<BTreeMap<&'static str, u64>>,
    /// Where lines go: [`line`], or a test's collector.
    sink: fn(&str),
}

#[derive(Debug)]
struct Window {
    started: Instant,
    written: usize,
    /// Lines held back in this window, by kind.
    held: BTreeMap<&'static str, u64>,
    addresses: HashSet<IpAddr>,
}

impl Default for Noise {
    fn default() -> Self {
        Noise::to(line)
    }
}

impl Noise {
    fn to(sink: fn(&str)) -> Self {
        Noise {
            sink,
            totals: Mutex::new(BTreeMap::new()),
            state: Mutex::new(Window {
                started: Instant::now(),
                written: 0,
                held: BTreeMap::new(),
                addresses: HashSet::new(),
            }),
        }
    }

    /// Logs a connection that never became a visit: written while this
    /// window has room, else counted under `kind` for the summary.
    pub(crate) fn note(&self, kind: &'static str, client: IpAddr, text: impl FnOnce() -> String) {
        self.total(kind);
        let Ok(mut w) = self.state.lock() else {
            return;
        };
        if w.started.elapsed() >= WINDOW {
            w.roll(self.sink);
        }
        if w.written < LINES_PER_WINDOW {
            w.written += 1;
            drop(w);
            (self.sink)(&text());
            return;
        }
        w.hold(kind, client);
    }

    /// Counts a connection under `kind` for the summary, never writing a
    /// line of its own (a balancer's health checks: one every few seconds,
    /// for as long as the server runs).
    pub(crate) fn count(&self, kind: &'static str, client: IpAddr) {
        self.total(kind);
        let Ok(mut w) = self.state.lock() else {
            return;
        };
        if w.started.elapsed() >= WINDOW {
            w.roll(self.sink);
        }
        w.hold(kind, client);
    }

    fn total(&self, kind: &'static str) {
        if let Ok(mut totals) = self.totals.lock() {
            *totals.entry(kind).or_insert(0) += 1;
        }
    }

    /// The connections that never became visits since the start, by kind.
    pub(crate) fn totals(&self) -> Vec<(&'static str, u64)> {
        self.totals
            .lock()
            .map(|t| t.iter().map(|(k, n)| (*k, *n)).collect())
            .unwrap_or_default()
    }

    /// Writes the summary of the window if it is over (or `force`).
    pub(crate) fn tick(&self, force: bool) {
        if let Ok(mut w) = self.state.lock()
            && (force || w.started.elapsed() >= WINDOW)
        {
            w.roll(self.sink);
        }
    }
}

impl Window {
    fn hold(&mut self, kind: &'static str, client: IpAddr) {
        *self.held.entry(kind).or_insert(0) += 1;
        if self.addresses.len() < ADDRESSES_PER_WINDOW {
            self.addresses.insert(client);
        }
    }

    /// Ends this window: one summary line if anything was held back.
    fn roll(&mut self, sink: fn(&str)) {
        if let Some(summary) = self.summary() {
            sink(&summary);
        }
        self.started = Instant::now();
        self.written = 0;
        self.held.clear();
        self.addresses.clear();
    }

    fn summary(&self) -> Option<String> {
        let total: u64 = self.held.values().sum();
        if total == 0 {
            return None;
        }
        let kinds: Vec<String> = self.held.iter().map(|(k, n)| format!("{n} {k}")).collect();
        let addresses = self.addresses.len();
        let more = if addresses >= ADDRESSES_PER_WINDOW {
            "+"
        } else {
            ""
        };
        Some(format!(
            "{total} more connections not logged one by one in the last {:.0} s ({}) from {addresses}{more} address{}",
            self.started.elapsed().as_secs_f64(),
            kinds.join(", "),
            if addresses == 1 { "" } else { "es" },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_makes_client_text_one_field() {
        assert_eq!(quoted("bob"), "\"bob\"");
        assert_eq!(
            quoted("bob 0.1s in=0B out=0B quit"),
            "\"bob 0.1s in=0B out=0B quit\""
        );
        assert_eq!(quoted("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(quoted("x\ny\u{1b}[2J"), "\"x\\u{a}y\\u{1b}[2J\"");
        assert_eq!(quoted("\u{202e}evil"), "\"\\u{202e}evil\"");
    }

    #[test]
    fn noise_beyond_the_budget_is_counted_not_written() {
        let noise = Noise::to(|_| {});
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let mut written = 0;
        for i in 0..1000 {
            noise.note("refused (rate limit)", ip, || {
                written += 1;
                format!("test line {i}")
            });
        }
        assert_eq!(written, LINES_PER_WINDOW);
        let w = noise.state.lock().unwrap();
        assert_eq!(w.held.get("refused (rate limit)"), Some(&980));
        let summary = w.summary().unwrap();
        assert!(summary.starts_with("980 more connections"), "{summary}");
        assert!(
            summary.contains("980 refused (rate limit)") && summary.ends_with("1 address"),
            "{summary}"
        );
    }

    #[test]
    fn health_checks_are_only_counted() {
        let noise = Noise::to(|line| panic!("a health check was written: {line}"));
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..5 {
            noise.count("health checks", ip);
        }
        let w = noise.state.lock().unwrap();
        assert_eq!(w.written, 0);
        let summary = w.summary().unwrap();
        assert!(summary.contains("(5 health checks)"), "{summary}");
    }
}
