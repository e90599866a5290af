//! `termfolio serve`: the viewer for anyone who runs `ssh -p 2222 host`.
//!
//! One `App` per visitor, driven over an SSH channel (russh). Limits hold
//! under abuse: connections that have not authenticated are few and short;
//! sessions are capped in total and per address, idle and in length; a
//! client that stops reading loses frames and then its connection; a panic
//! ends only its own session (each runs in its own task). SIGTERM and SIGINT
//! close every session politely and exit within two seconds.

mod admission;
pub mod hostkey;
mod input;
mod log;
mod screen;
mod session;
mod view;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::server::Config;
use russh::{MethodKind, Preferred, cipher, kex, mac};
use tokio::net::TcpListener;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::watch;

use admission::{Admission, Bell, Expulsion, Permit};
pub use admission::{Limits, Rate};

use crate::profile::{Profile, sanitize};

/// How long a connection may take to authenticate.
const AUTH_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a login turned away because the server is full may take to
/// read why before it is disconnected.
const FULL_GRACE: Duration = Duration::from_secs(2);
/// How long sessions get to close when the server stops.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(1500);

/// The server's settings (the `serve` flags).
#[derive(Debug, Clone)]
pub struct Options {
    pub listen: String,
    pub host_key: PathBuf,
    pub limits: Limits,
    pub idle_timeout: Duration,
    pub max_session_time: Duration,
}

/// What every session shares.
pub(crate) struct Shared {
    profile: Arc<Profile>,
    options: Options,
    admission: Arc<Admission>,
    noise: log::Noise,
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

/// What we offer in the key exchange: hybrid post-quantum ML-KEM first
/// (OpenSSH 9.9 and later), then X25519 (its `@libssh.org` alias too) for
/// older clients such as Debian 12's OpenSSH 9.2 and Ubuntu 22.04's 8.9. No
/// finite-field Diffie-Hellman: its 2048-bit groups are weak and every
/// group makes the DHEat flood (CVE-2002-20001) cheap for a client and dear
/// for us. Strict key exchange (the Terrapin fix) and extension negotiation
/// stay on.
const KEX: &[kex::Name] = &[
    kex::MLKEM768X25519_SHA256,
    kex::CURVE25519,
    kex::CURVE25519_PRE_RFC_8731,
    kex::EXTENSION_SUPPORT_AS_SERVER,
    kex::EXTENSION_OPENSSH_STRICT_KEX_AS_SERVER,
];
/// AEAD ciphers first; CTR only with the encrypt-then-MAC MACs below.
const CIPHERS: &[cipher::Name] = &[
    cipher::CHACHA20_POLY1305,
    cipher::AES_256_GCM,
    cipher::AES_256_CTR,
    cipher::AES_192_CTR,
    cipher::AES_128_CTR,
];
/// SHA-2 encrypt-then-MAC only (encrypt-and-MAC leaks through its timing).
const MACS: &[mac::Name] = &[mac::HMAC_SHA512_ETM, mac::HMAC_SHA256_ETM];

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
        preferred: Preferred {
            kex: KEX.into(),
            cipher: CIPHERS.into(),
            mac: MACS.into(),
            ..Preferred::default()
        },
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
        admission: Arc::new(Admission::new(options.limits)),
        options,
        noise: log::Noise::default(),
    });
    let mut term = signal(SignalKind::terminate()).map_err(|e| e.to_string())?;
    let mut int = signal(SignalKind::interrupt()).map_err(|e| e.to_string())?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut summaries = tokio::time::interval(log::WINDOW);
    log::line(&format!(
        "listening on {local} (ssh -p {} host)",
        local.port()
    ));
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                match accepted {
                    Ok((socket, peer)) => accept(&shared, &config, socket, peer, &stop_rx),
                    // Out of file descriptors, say: let connections end
                    // rather than spin on the error.
                    Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
                }
            }
            _ = summaries.tick() => shared.noise.tick(false),
            _ = term.recv() => break,
            _ = int.recv() => break,
        }
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let deadline = Instant::now() + SHUTDOWN_GRACE;
    while Instant::now() < deadline && shared.admission.live() > 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    shared.noise.tick(true);
    log::line("stopped");
    Ok(())
}

/// Lets a new connection in, or closes it at once: the rates and limits are
/// checked before any SSH work, so a refusal costs only a `close`.
fn accept(
    shared: &Arc<Shared>,
    config: &Arc<Config>,
    socket: tokio::net::TcpStream,
    peer: SocketAddr,
    stop: &watch::Receiver<bool>,
) {
    let permit = match shared.admission.admit(peer.ip()) {
        Ok(permit) => permit,
        Err(refusal) => {
            drop(socket);
            let reason = refusal.reason();
            shared.noise.note(refusal.kind(), peer.ip(), || {
                format!("{peer} refused: {reason}")
            });
            return;
        }
    };
    let _ = socket.set_nodelay(true);
    tokio::spawn(connection(
        Arc::clone(shared),
        Arc::clone(config),
        socket,
        peer,
        permit,
        stop.clone(),
    ));
}

/// One connection from accept to close, with its time limits and log line.
async fn connection(
    shared: Arc<Shared>,
    config: Arc<Config>,
    socket: tokio::net::TcpStream,
    peer: SocketAddr,
    permit: Permit,
    stop: watch::Receiver<bool>,
) {
    let start = Instant::now();
    let stats = Arc::new(Stats::default());
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
    stats: &Stats,
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
fn log(shared: &Shared, peer: SocketAddr, start: Instant, stats: &Stats) {
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
