//! One connection's lifecycle, from accept to its log line: the SSH
//! handshake under a deadline, the visit under its limits (login time,
//! session time, idle time, its place, the server stopping), the goodbye,
//! and the line it leaves in the log.

use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::server::Config;
use tokio::sync::{Notify, watch};

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
    pub(super) reason: Mutex<Option<Reason>>,
    /// When the visitor last typed or clicked, in ms since the connection began.
    pub(super) last_input_ms: AtomicU64,
    /// The viewer, while there is one, so the server can end the visit.
    pub(super) viewer: Mutex<Option<view::Viewer>>,
    /// Rung by the render task when the client has taken nothing for the
    /// stall limit: the connection ends.
    pub(super) stalled: Notify,
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

    /// Records how the connection ended; the first reason wins.
    pub(super) fn set_reason(&self, reason: Reason) {
        if let Ok(mut r) = self.reason.lock()
            && r.is_none()
        {
            *r = Some(reason);
        }
    }
}

/// How a connection ended, for its log line (and, for the ones that never
/// became a visit, the summary's counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Reason {
    Quit,
    Closed,
    ClientClosed,
    CardNoPty,
    CardExecRefused,
    SubsystemRefused,
    ServerFull,
    Evicted,
    HandshakeFailed(String),
    NoHandshake,
    AuthenticationTimeout,
    SessionTimeLimit,
    IdleTimeout,
    ServerStopping,
    ClientStoppedReading,
    Panic,
    Ended(String),
}

impl Reason {
    /// The summary's name for a connection that never became a visit.
    fn kind(&self) -> &'static str {
        match self {
            Reason::Evicted => "evicted",
            Reason::HandshakeFailed(_) => "handshake failed",
            Reason::NoHandshake => "no SSH handshake",
            Reason::AuthenticationTimeout => "authentication timeout",
            Reason::ServerFull => "server full",
            _ => "closed before logging in",
        }
    }

    /// What the visitor is told when the server ends the visit.
    fn goodbye(&self) -> String {
        match self {
            Reason::ServerFull => {
                "termfolio: too many visitors right now; please try again later.".into()
            }
            other => other.to_string(),
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            Reason::Quit => "quit",
            Reason::Closed => "closed",
            Reason::ClientClosed => "client closed",
            Reason::CardNoPty => "card (no pty)",
            Reason::CardExecRefused => "card (exec refused)",
            Reason::SubsystemRefused => "subsystem refused",
            Reason::ServerFull => "server full",
            Reason::Evicted => "evicted: too many connections logging in",
            Reason::HandshakeFailed(e) => return write!(f, "handshake failed: {e}"),
            Reason::NoHandshake => "no SSH handshake",
            Reason::AuthenticationTimeout => "authentication timeout",
            Reason::SessionTimeLimit => "session time limit",
            Reason::IdleTimeout => "idle timeout",
            Reason::ServerStopping => "server stopping",
            Reason::ClientStoppedReading => "client stopped reading",
            Reason::Panic => "internal error (panic) in this session",
            Reason::Ended(e) => return write!(f, "ended: {e}"),
        };
        f.write_str(text)
    }
}

/// One connection from accept to close, with its time limits and log line.
/// `peer` is the client's address (a trusted PROXY header's, if any);
/// `health_check` marks a balancer's own connection, counted in the log's
/// summary unless it becomes a visit.
pub(super) async fn connection(
    shared: Arc<Shared>,
    config: Arc<Config>,
    socket: tokio::net::TcpStream,
    peer: SocketAddr,
    permit: Permit,
    stop: watch::Receiver<bool>,
    health_check: bool,
) {
    let start = Instant::now();
    let stats = Arc::new(ConnectionState::default());
    // A second descriptor of the socket, to cut it when russh cannot be
    // asked to (its queue to a client that reads nothing is full).
    let cut = socket.as_fd().try_clone_to_owned().ok();
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
            stats.set_reason(Reason::Evicted);
            log(&shared, peer, start, &stats, health_check);
            return;
        }
    };
    match handshake {
        Ok(Ok(running)) => {
            let limits = Ends {
                start,
                bell: &bell,
                stop,
                cut: cut.as_ref(),
            };
            visit(&shared, running, &stats, limits).await;
        }
        Ok(Err(e)) => stats.set_reason(Reason::HandshakeFailed(e.to_string())),
        Err(_) => stats.set_reason(Reason::NoHandshake),
    }
    drop(permit);
    log(&shared, peer, start, &stats, health_check);
}

/// A connection after the SSH handshake: runs until it ends by itself or a
/// limit (login time, session time, idle time, its place, the server
/// stopping) ends it.
async fn visit(
    shared: &Shared,
    running: russh::server::RunningSession<session::Visitor>,
    stats: &ConnectionState,
    ends: Ends<'_>,
) {
    let Ends {
        start,
        bell,
        mut stop,
        cut,
    } = ends;
    let handle = running.handle();
    tokio::pin!(running);
    let auth_deadline = start + AUTH_TIMEOUT;
    let end_deadline = start + shared.options.max_session_time;
    let idle = shared.options.idle_timeout;
    let ending: Option<Reason> = loop {
        let idle_deadline = stats.last_input(start) + idle;
        let mut next = end_deadline.min(idle_deadline);
        if !stats.authenticated.load(Ordering::Relaxed) {
            next = next.min(auth_deadline);
        }
        tokio::select! {
            result = &mut running => {
                match result {
                    Ok(()) => stats.set_reason(Reason::Closed),
                    Err(e) => stats.set_reason(Reason::Ended(e.to_string())),
                }
                break None;
            }
            _ = tokio::time::sleep_until(tokio::time::Instant::from_std(next)) => {
                let now = Instant::now();
                if !stats.authenticated.load(Ordering::Relaxed) && now >= auth_deadline {
                    break Some(Reason::AuthenticationTimeout);
                } else if now >= end_deadline {
                    break Some(Reason::SessionTimeLimit);
                } else if now >= stats.last_input(start) + idle {
                    break Some(Reason::IdleTimeout);
                }
            }
            _ = stop.changed() => break Some(Reason::ServerStopping),
            () = stats.stalled.notified() => break Some(Reason::ClientStoppedReading),
            why = bell.rung() => match why {
                Expulsion::Evicted => break Some(Reason::Evicted),
                // The handler tells the client why when it asks for a
                // session; one that does not is closed soon after.
                Expulsion::Full => {
                    stats.set_reason(Reason::ServerFull);
                    match tokio::time::timeout(FULL_GRACE, &mut running).await {
                        Ok(_) => break None,
                        Err(_) => break Some(Reason::ServerFull),
                    }
                }
            },
        }
    };
    let Some(reason) = ending else { return };
    stats.set_reason(reason.clone());
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
    let goodbye = handle.disconnect(
        russh::Disconnect::ByApplication,
        reason.goodbye(),
        "en".into(),
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), goodbye).await;
    if tokio::time::timeout(Duration::from_secs(1), &mut running)
        .await
        .is_err()
    {
        // A client that reads nothing keeps russh's queue to it full, so
        // neither the goodbye nor the disconnect goes out: cut the socket,
        // which ends the session (and frees all it holds) at once.
        if let Some(fd) = cut {
            // SAFETY: shutdown(2) on a descriptor we own; the socket stays
            // open (and its number ours) until `fd` is dropped.
            unsafe { libc::shutdown(fd.as_raw_fd(), libc::SHUT_RDWR) };
        }
        let _ = tokio::time::timeout(Duration::from_secs(1), &mut running).await;
    }
}

/// What may end a visit besides its own close: the limits counted from
/// `start`, the connection's bell, the server stopping; and the socket to
/// cut when the client cannot be told.
struct Ends<'a> {
    start: Instant,
    bell: &'a Bell,
    stop: watch::Receiver<bool>,
    cut: Option<&'a OwnedFd>,
}

/// A connection's line: address, user, duration, bytes, how it ended. Each
/// visit gets one; connections that never became visits are noise, kept to
/// a few lines with the rest summarised.
fn log(
    shared: &Shared,
    peer: SocketAddr,
    start: Instant,
    stats: &ConnectionState,
    health_check: bool,
) {
    let user = stats.user.lock().map(|u| u.clone()).unwrap_or_default();
    let reason = stats.reason.lock().ok().and_then(|r| r.clone());
    let reason_text = reason.as_ref().map(ToString::to_string).unwrap_or_default();
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
            sanitize::line(&reason_text),
        )
    };
    if stats.admitted.load(Ordering::Relaxed) {
        shared
            .visits
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        log::line(&text());
    } else if health_check {
        shared.noise.count("health checks", peer.ip());
    } else {
        let kind = reason
            .as_ref()
            .map_or("closed before logging in", Reason::kind);
        shared.noise.note(kind, peer.ip(), text);
    }
}
