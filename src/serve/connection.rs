//! One connection's lifecycle, from accept to its log line: the SSH
//! handshake under a deadline, the visit under its limits (login time,
//! session time, idle time, its place, the server stopping), the goodbye,
//! and the line it leaves in the log.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::server::Config;
use tokio::sync::watch;

use super::admission::{Bell, Expulsion, Permit};
use super::{Shared, log, session, view};
use crate::profile::sanitize;

/// How long a connection may take to authenticate.
const AUTH_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a login turned away because the server is full may take to
/// read why before it is disconnected.
const FULL_GRACE: Duration = Duration::from_secs(2);
/// What one connection shares between its task and its handler: what it
/// did (for its log line), how far it got, and the viewer, while there is
/// one, so the server can end the visit.
#[derive(Default)]
pub(crate) struct ConnectionState {
    pub(super) authenticated: AtomicBool,
    pub(super) admitted: AtomicBool,
    pub(super) bytes_in: AtomicU64,
    pub(super) bytes_out: AtomicU64,
    pub(super) user: Mutex<String>,
    pub(super) reason: Mutex<String>,
    /// When the visitor last typed or clicked, in ms since the connection began.
    pub(super) last_input_ms: AtomicU64,
    /// The viewer, while there is one, so the server can end the visit.
    pub(super) viewer: Mutex<Option<view::Viewer>>,
}

impl ConnectionState {
    /// Notes input from the visitor at `elapsed` into the connection.
    pub(super) fn touch(&self, elapsed: Duration) {
        let ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
        self.last_input_ms.store(ms, Ordering::Relaxed);
    }

    /// When the visitor last typed or clicked (the start, if never).
    pub(super) fn last_input(&self, start: Instant) -> Instant {
        start + Duration::from_millis(self.last_input_ms.load(Ordering::Relaxed))
    }

    pub(super) fn set_viewer(&self, viewer: Option<view::Viewer>) {
        if let Ok(mut v) = self.viewer.lock() {
            *v = viewer;
        }
    }

    pub(super) fn set_reason(&self, reason: &str) {
        if let Ok(mut r) = self.reason.lock()
            && r.is_empty()
        {
            *r = reason.to_string();
        }
    }
}

/// One connection from accept to close, with its time limits and log line.
pub(super) async fn connection(
    shared: Arc<Shared>,
    config: Arc<Config>,
    socket: tokio::net::TcpStream,
    peer: SocketAddr,
    permit: Permit,
    stop: watch::Receiver<bool>,
) {
    let start = Instant::now();
    let stats = Arc::new(ConnectionState::default());
    let bell = permit.bell();
    let permit = Arc::new(permit);
    let visitor = session::Visitor::new(
        Arc::clone(&shared),
        peer,
        Arc::clone(&stats),
        Arc::clone(&permit),
        start,
    );
    let handshake = tokio::time::timeout(
        AUTH_TIMEOUT,
        russh::server::run_stream(config, socket, visitor),
    );
    let handshake = tokio::select! {
        result = handshake => result,
        _ = bell.rung() => {
            stats.set_reason("evicted: too many connections logging in");
            log(&shared, peer, start, &stats);
            return;
        }
    };
    match handshake {
        Ok(Ok(running)) => visit(&shared, running, &stats, start, &bell, stop).await,
        Ok(Err(e)) => stats.set_reason(&format!("handshake failed: {e}")),
        Err(_) => stats.set_reason("no SSH handshake"),
    }
    drop(permit);
    log(&shared, peer, start, &stats);
}

/// A connection after the SSH handshake: runs until it ends by itself or a
/// limit (login time, session time, idle time, its place, the server
/// stopping) ends it.
async fn visit(
    shared: &Shared,
    running: russh::server::RunningSession<session::Visitor>,
    stats: &ConnectionState,
    start: Instant,
    bell: &Bell,
    mut stop: watch::Receiver<bool>,
) {
    let handle = running.handle();
    tokio::pin!(running);
    let auth_deadline = start + AUTH_TIMEOUT;
    let end_deadline = start + shared.options.max_session_time;
    let idle = shared.options.idle_timeout;
    let ending: Option<&'static str> = loop {
        let idle_deadline = stats.last_input(start) + idle;
        let mut next = end_deadline.min(idle_deadline);
        if !stats.authenticated.load(Ordering::Relaxed) {
            next = next.min(auth_deadline);
        }
        tokio::select! {
            result = &mut running => {
                match result {
                    Ok(()) => stats.set_reason("closed"),
                    Err(e) => stats.set_reason(&format!("ended: {e}")),
                }
                break None;
            }
            _ = tokio::time::sleep_until(tokio::time::Instant::from_std(next)) => {
                let now = Instant::now();
                if !stats.authenticated.load(Ordering::Relaxed) && now >= auth_deadline {
                    break Some("authentication timeout");
                } else if now >= end_deadline {
                    break Some("session time limit");
                } else if now >= stats.last_input(start) + idle {
                    break Some("idle timeout");
                }
            }
            _ = stop.changed() => break Some("server stopping"),
            why = bell.rung() => match why {
                Expulsion::Evicted => break Some("evicted: too many connections logging in"),
                // The handler tells the client why when it asks for a
                // session; one that does not is closed soon after.
                Expulsion::Full => {
                    stats.set_reason("server full");
                    match tokio::time::timeout(FULL_GRACE, &mut running).await {
                        Ok(_) => break None,
                        Err(_) => break Some("server full"),
                    }
                }
            },
        }
    };
    let Some(reason) = ending else { return };
    stats.set_reason(reason);
    // Give the visitor's terminal back and close the channel first, so the
    // client writes it all out; only then, if need be, disconnect.
    let viewer = stats.viewer.lock().ok().and_then(|mut v| v.take());
    if let Some(viewer) = viewer {
        viewer.end(view::Ending::Server(reason.to_string()));
        if tokio::time::timeout(Duration::from_millis(1500), &mut running)
            .await
            .is_ok()
        {
            return;
        }
    }
    let description = if reason == "server full" {
        "termfolio: too many visitors right now; please try again later."
    } else {
        reason
    };
    let _ = handle
        .disconnect(
            russh::Disconnect::ByApplication,
            description.into(),
            "en".into(),
        )
        .await;
    let _ = tokio::time::timeout(Duration::from_secs(1), &mut running).await;
}

/// A connection's line: address, user, duration, bytes, how it ended. Each
/// visit gets one; connections that never became visits are noise, kept to
/// a few lines with the rest summarised.
fn log(shared: &Shared, peer: SocketAddr, start: Instant, stats: &ConnectionState) {
    let user = stats.user.lock().map(|u| u.clone()).unwrap_or_default();
    let reason = stats.reason.lock().map(|r| r.clone()).unwrap_or_default();
    let text = || {
        format!(
            "{peer} user={} {:.1}s in={}B out={}B {}",
            if user.is_empty() {
                "-".to_string()
            } else {
                log::quoted(&user)
            },
            start.elapsed().as_secs_f64(),
            stats.bytes_in.load(Ordering::Relaxed),
            stats.bytes_out.load(Ordering::Relaxed),
            sanitize::line(&reason),
        )
    };
    if stats.admitted.load(Ordering::Relaxed) {
        log::line(&text());
    } else {
        shared.noise.note(noise_kind(&reason), peer.ip(), text);
    }
}

/// The summary's name for how a connection that never became a visit ended.
fn noise_kind(reason: &str) -> &'static str {
    if reason.starts_with("evicted") {
        "evicted"
    } else if reason.starts_with("handshake failed") {
        "handshake failed"
    } else if reason == "no SSH handshake" {
        "no SSH handshake"
    } else if reason == "authentication timeout" {
        "authentication timeout"
    } else if reason == "server full" {
        "server full"
    } else {
        "closed before logging in"
    }
}
