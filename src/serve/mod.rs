//! `termfolio serve`: the viewer for anyone who runs `ssh -p 2222 host`.
//!
//! One `App` per visitor, driven over an SSH channel (russh). Limits hold
//! under abuse: connections that have not authenticated are few and short;
//! sessions are capped in total and per address, idle and in length; a
//! client that stops reading loses frames and then its connection; a panic
//! ends only its own session (each runs in its own task). SIGTERM and SIGINT
//! close every session politely and exit within two seconds.

pub mod hostkey;
pub mod input;
pub mod screen;
mod session;
mod view;

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::MethodKind;
use russh::server::Config;
use tokio::net::TcpListener;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::{Notify, watch};

use crate::profile::{Profile, sanitize};

/// How long a connection may take to authenticate.
const AUTH_TIMEOUT: Duration = Duration::from_secs(10);
/// How long sessions get to close when the server stops.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(1500);

/// The server's settings (the `serve` flags).
#[derive(Debug, Clone)]
pub struct Options {
    pub listen: String,
    pub host_key: PathBuf,
    pub max_sessions: usize,
    pub max_per_ip: usize,
    pub idle_timeout: Duration,
    pub max_session_time: Duration,
}

/// What every session shares.
pub(crate) struct Shared {
    profile: Arc<Profile>,
    options: Options,
    counts: Mutex<Counts>,
}

#[derive(Default)]
struct Counts {
    /// Connections still authenticating.
    connecting: usize,
    /// Authenticated sessions.
    sessions: usize,
    per_ip: HashMap<IpAddr, usize>,
    /// Connections still authenticating, oldest first, each with the bell
    /// that evicts it when newcomers need its place.
    queue: VecDeque<(u64, Arc<Notify>)>,
    next_id: u64,
}

/// A connection's place in the counts, given back when it ends.
pub(crate) struct Permit {
    shared: Arc<Shared>,
    ip: IpAddr,
    id: u64,
    session: bool,
}

impl Shared {
    /// A place for a new connection from `ip`, if the limits allow one, and
    /// the bell that rings if it must give its place up. When every place for
    /// connections still logging in is taken, the oldest of them is evicted
    /// (visitors log in at once; it is the silent ones that wait), so idle
    /// connections can never lock visitors out.
    fn admit(self: &Arc<Self>, ip: IpAddr) -> Option<(Permit, Arc<Notify>)> {
        let mut c = self.counts.lock().ok()?;
        let from_ip = c.per_ip.get(&ip).copied().unwrap_or(0);
        if from_ip >= self.options.max_per_ip {
            return None;
        }
        if c.connecting >= self.options.max_sessions {
            let (_, oldest) = c.queue.pop_front()?;
            oldest.notify_one();
        }
        let id = c.next_id;
        c.next_id += 1;
        let bell = Arc::new(Notify::new());
        c.queue.push_back((id, Arc::clone(&bell)));
        c.connecting += 1;
        *c.per_ip.entry(ip).or_insert(0) += 1;
        Some((
            Permit {
                shared: Arc::clone(self),
                ip,
                id,
                session: false,
            },
            bell,
        ))
    }
}

impl Permit {
    /// Turns a connecting place into a session place; false when full.
    fn promote(&mut self, shared: &Shared) -> bool {
        if self.session {
            return true;
        }
        let Ok(mut c) = shared.counts.lock() else {
            return false;
        };
        if c.sessions >= shared.options.max_sessions {
            return false;
        }
        c.connecting -= 1;
        c.sessions += 1;
        c.queue.retain(|(id, _)| *id != self.id);
        self.session = true;
        true
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if let Ok(mut c) = self.shared.counts.lock() {
            if self.session {
                c.sessions -= 1;
            } else {
                c.connecting -= 1;
                c.queue.retain(|(id, _)| *id != self.id);
            }
            if let Some(n) = c.per_ip.get_mut(&self.ip) {
                *n -= 1;
                if *n == 0 {
                    c.per_ip.remove(&self.ip);
                }
            }
        }
    }
}

/// What a session did, for its log line.
#[derive(Default)]
pub(crate) struct Stats {
    authenticated: AtomicBool,
    admitted: AtomicBool,
    bytes_in: AtomicU64,
    bytes_out: AtomicU64,
    user: Mutex<String>,
    reason: Mutex<String>,
    /// When the visitor last typed or clicked, in ms since the connection began.
    last_input_ms: AtomicU64,
    /// The viewer, while there is one, so the server can end the visit.
    viewer: Mutex<Option<view::Viewer>>,
}

impl Stats {
    /// Notes input from the visitor at `elapsed` into the connection.
    fn touch(&self, elapsed: Duration) {
        let ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
        self.last_input_ms.store(ms, Ordering::Relaxed);
    }

    /// When the visitor last typed or clicked (the start, if never).
    fn last_input(&self, start: Instant) -> Instant {
        start + Duration::from_millis(self.last_input_ms.load(Ordering::Relaxed))
    }

    fn set_viewer(&self, viewer: Option<view::Viewer>) {
        if let Ok(mut v) = self.viewer.lock() {
            *v = viewer;
        }
    }

    fn set_reason(&self, reason: &str) {
        if let Ok(mut r) = self.reason.lock()
            && r.is_empty()
        {
            *r = reason.to_string();
        }
    }
}

/// Runs the server until SIGTERM or SIGINT.
pub fn run(profile: Profile, options: Options) -> Result<(), String> {
    let key = hostkey::load_or_create(&options.host_key)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    runtime.block_on(serve(profile, options, key))
}

fn config(key: russh::keys::PrivateKey) -> Config {
    Config {
        server_id: russh::SshId::Standard("SSH-2.0-termfolio".into()),
        methods: russh::MethodSet::from(
            &[
                MethodKind::None,
                MethodKind::PublicKey,
                MethodKind::KeyboardInteractive,
            ][..],
        ),
        auth_rejection_time: Duration::from_millis(100),
        auth_rejection_time_initial: Some(Duration::ZERO),
        keys: vec![key],
        // Idle time is measured from the visitor's own input (see `connection`):
        // russh's inactivity timer is reset by keepalive replies too.
        inactivity_timeout: None,
        keepalive_interval: Some(Duration::from_secs(30)),
        keepalive_max: 3,
        nodelay: true,
        max_auth_attempts: 6,
        ..Config::default()
    }
}

async fn serve(
    profile: Profile,
    options: Options,
    key: russh::keys::PrivateKey,
) -> Result<(), String> {
    let listener = TcpListener::bind(&options.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", sanitize::line(&options.listen)))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot listen: {e}"))?;
    let config = Arc::new(config(key));
    let shared = Arc::new(Shared {
        profile: Arc::new(profile),
        options,
        counts: Mutex::new(Counts::default()),
    });
    let mut term = signal(SignalKind::terminate()).map_err(|e| e.to_string())?;
    let mut int = signal(SignalKind::interrupt()).map_err(|e| e.to_string())?;
    let (stop_tx, stop_rx) = watch::channel(false);
    eprintln!(
        "termfolio serve: listening on {local} (ssh -p {} host)",
        local.port()
    );
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((socket, peer)) = accepted else { continue };
                let Some((permit, bell)) = shared.admit(peer.ip()) else {
                    eprintln!("termfolio serve: {peer} refused: connection limit");
                    drop(socket);
                    continue;
                };
                let _ = socket.set_nodelay(true);
                tokio::spawn(connection(
                    Arc::clone(&shared),
                    Arc::clone(&config),
                    socket,
                    peer,
                    permit,
                    bell,
                    stop_rx.clone(),
                ));
            }
            _ = term.recv() => break,
            _ = int.recv() => break,
        }
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let deadline = Instant::now() + SHUTDOWN_GRACE;
    while Instant::now() < deadline && live(&shared) > 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    eprintln!("termfolio serve: stopped");
    Ok(())
}

fn live(shared: &Shared) -> usize {
    shared
        .counts
        .lock()
        .map(|c| c.connecting + c.sessions)
        .unwrap_or(0)
}

/// One connection from accept to close, with its time limits and log line.
async fn connection(
    shared: Arc<Shared>,
    config: Arc<Config>,
    socket: tokio::net::TcpStream,
    peer: SocketAddr,
    permit: Permit,
    evicted: Arc<Notify>,
    mut stop: watch::Receiver<bool>,
) {
    let start = Instant::now();
    let stats = Arc::new(Stats::default());
    let permit = Arc::new(Mutex::new(permit));
    let visitor =
        session::Visitor::new(Arc::clone(&shared), peer, Arc::clone(&stats), permit, start);
    let handshake = tokio::time::timeout(
        AUTH_TIMEOUT,
        russh::server::run_stream(config, socket, visitor),
    );
    let handshake = tokio::select! {
        result = handshake => result,
        () = evicted.notified() => {
            stats.set_reason("evicted: too many connections logging in");
            log(peer, start, &stats);
            return;
        }
    };
    let running = match handshake {
        Ok(Ok(running)) => running,
        Ok(Err(e)) => {
            stats.set_reason(&format!("handshake failed: {e}"));
            log(peer, start, &stats);
            return;
        }
        Err(_) => {
            stats.set_reason("no SSH handshake");
            log(peer, start, &stats);
            return;
        }
    };
    let handle = running.handle();
    tokio::pin!(running);
    let auth_deadline = start + AUTH_TIMEOUT;
    let end_deadline = start + shared.options.max_session_time;
    let idle = shared.options.idle_timeout;
    let disconnect = |reason: &'static str| {
        let handle = handle.clone();
        async move {
            let _ = handle
                .disconnect(russh::Disconnect::ByApplication, reason.into(), "en".into())
                .await;
        }
    };
    let ending: Option<&'static str> = loop {
        let authenticated = stats.authenticated.load(Ordering::Relaxed);
        let idle_deadline = stats.last_input(start) + idle;
        let mut next = end_deadline.min(idle_deadline);
        if !authenticated {
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
            () = evicted.notified(), if !authenticated => {
                break Some("evicted: too many connections logging in");
            }
        }
    };
    if let Some(reason) = ending {
        stats.set_reason(reason);
        // Give the visitor's terminal back and close the channel first, so
        // the client writes it all out; only then, if need be, disconnect.
        let viewer = stats.viewer.lock().ok().and_then(|mut v| v.take());
        if let Some(viewer) = viewer {
            viewer.end(view::Ending::Server(reason.to_string()));
            if tokio::time::timeout(Duration::from_millis(1500), &mut running)
                .await
                .is_ok()
            {
                log(peer, start, &stats);
                return;
            }
        }
        disconnect(reason).await;
        let _ = tokio::time::timeout(Duration::from_secs(1), &mut running).await;
    }
    log(peer, start, &stats);
}

/// One line per session on stderr: address, user, duration, bytes, how it ended.
fn log(peer: SocketAddr, start: Instant, stats: &Stats) {
    let user = stats.user.lock().map(|u| u.clone()).unwrap_or_default();
    let reason = stats.reason.lock().map(|r| r.clone()).unwrap_or_default();
    eprintln!(
        "termfolio serve: {peer} user={} {:.1}s in={}B out={}B {}",
        if user.is_empty() { "-" } else { &user },
        start.elapsed().as_secs_f64(),
        stats.bytes_in.load(Ordering::Relaxed),
        stats.bytes_out.load(Ordering::Relaxed),
        sanitize::line(&reason),
    );
}
