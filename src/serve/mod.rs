//! `termfolio serve`: the viewer for anyone who runs `ssh -p 2222 host`.
//!
//! One `App` per visitor, driven over an SSH channel (russh). Limits hold
//! under abuse: connections that have not authenticated are few and short;
//! sessions are capped in total and per address, idle and in length; a
//! client that stops reading loses frames and then its connection; a panic
//! ends only its own session (each runs in its own task). SIGTERM and SIGINT
//! close every session politely and exit within two seconds.

mod admission;
mod connection;
pub mod hostkey;
mod input;
mod lab;
mod log;
mod proxy;
mod session;
mod view;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use russh::server::Config;
use russh::{MethodKind, Preferred, cipher, kex, mac};
use tokio::net::TcpListener;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::watch;

use admission::Admission;
pub use admission::{Limits, Rate};
pub use proxy::Cidr;

use crate::profile::{Profile, sanitize};

/// How often the stats line is written.
const STATS_EVERY: Duration = Duration::from_secs(60);

/// One line of what the server is doing: visitors now (and connections
/// logging in), visits since the start, connections refused or dropped
/// since the start and why, and the peak resident memory.
fn stats_line(shared: &Shared) {
    let (visiting, logging_in) = shared.admission.counts();
    let visits = shared.visits.load(std::sync::atomic::Ordering::Relaxed);
    let others = shared.noise.totals();
    let other_count: u64 = others.iter().map(|(_, n)| n).sum();
    let why = others
        .iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect::<Vec<_>>()
        .join(", ");
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_else(|| "?".into());
    let lab = shared.lab.as_ref().map_or(String::new(), |lab| {
        let members = lab.members();
        let broken = members.iter().filter(|m| m.profile.is_none()).count();
        format!("; lab: {} profiles, {broken} unavailable", members.len())
    });
    log::line(&format!(
        "stats: {visiting} visiting, {logging_in} logging in; {visits} visits since the start; \
         {other_count} other connections{}; peak RSS {peak}{lab}",
        if why.is_empty() {
            String::new()
        } else {
            format!(" ({why})")
        }
    ));
}

/// How often the profile file is looked at for a save.
const WATCH_EVERY: Duration = Duration::from_millis(500);

/// Reads the profile again (off the async threads: it reads and parses a
/// file) and serves it to new visitors, or logs why not and keeps the old.
async fn reload_now(shared: &Arc<Shared>, why: &str) {
    let source = shared.options.source.clone();
    let started = Instant::now();
    let result = tokio::task::spawn_blocking(move || reload(&source)).await;
    match result {
        Ok(Ok(served)) => {
            let n = served.profile.publications.len();
            shared.replace(served);
            log::line(&format!(
                "reloaded the profile ({why}): {n} publications, in {:.1} ms; new visitors see it",
                started.elapsed().as_secs_f64() * 1e3
            ));
        }
        Ok(Err(e)) => log::line(&format!(
            "kept the profile served: reading it again ({why}) failed: {}",
            sanitize::line(&e)
        )),
        Err(_) => log::line("kept the profile served: reading it again failed"),
    }
}

/// Looks at the lab's directory again (off the async threads: it reads
/// files); `force` reads every profile again.
async fn rescan_lab(shared: &Arc<Shared>, force: bool) {
    let shared = Arc::clone(shared);
    let _ = tokio::task::spawn_blocking(move || {
        if let Some(lab) = &shared.lab {
            lab.rescan(force);
        }
    })
    .await;
}

/// How long sessions get to close when the server stops.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(1500);
/// How long a trusted balancer may take to send its PROXY header (it sends
/// it at once, with the connection).
const PROXY_HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// The server's settings (the `serve` flags).
#[derive(Debug, Clone)]
pub struct Options {
    pub listen: String,
    pub host_key: PathBuf,
    pub limits: Limits,
    pub idle_timeout: Duration,
    pub max_session_time: Duration,
    /// `--hyperlinks`: under `auto`, each visitor's TERM and TERM_PROGRAM decide.
    pub hyperlinks: crate::cli::HyperlinkChoice,
    /// Where the profile came from: a file is watched and read again when
    /// it changes, and on SIGHUP (see [`reload`]).
    pub source: crate::profile::Source,
    /// `--trusted-proxy`: the peers whose connections start with a PROXY
    /// header (v1 or v2), read for the client's address; nobody else's is.
    pub trusted_proxies: Vec<Cidr>,
    /// `--profiles DIR`: a lab's profiles, `DIR/NAME.toml` for `ssh NAME@host`
    /// and a directory of them for anyone else (the profile is then unused).
    pub profiles: Option<PathBuf>,
}

/// The profile being served and its photo (decoded once, each visitor's
/// size scaled once), swapped whole by a reload.
pub(crate) struct Served {
    pub(crate) profile: Arc<Profile>,
    pub(crate) photo: Option<Arc<crate::photo::Photo>>,
}

impl Served {
    /// `profile` as read from `source`, with its photo when it has one that
    /// can be read.
    fn new(profile: Profile, source: &crate::profile::Source) -> Served {
        let photo = crate::photo::locate(&profile, source)
            .and_then(Result::ok)
            .map(Arc::new);
        Served {
            profile: Arc::new(profile),
            photo,
        }
    }
}

/// What every session shares.
pub(crate) struct Shared {
    /// What new visitors get; each visitor keeps the one it started with.
    served: std::sync::RwLock<Arc<Served>>,
    /// With `--profiles`: the lab's profiles, served instead.
    lab: Option<lab::Lab>,
    options: Options,
    admission: Arc<Admission>,
    noise: log::Noise,
    /// Visits since the start (each one's log line written).
    visits: std::sync::atomic::AtomicU64,
    /// Places for trusted connections whose PROXY header is still being
    /// read (as many as connections logging in may hold).
    headers: Arc<tokio::sync::Semaphore>,
}

/// `pow`, the one function of the C maths library that the binary calls
/// (tokio's multi-threaded scheduler averages its statistics with it):
/// defined here from the pure-Rust `libm`, the dynamically linked build needs
/// no libm.so, one shared library fewer to load at every start of every
/// command. musl's algorithm, correctly rounded to within 1 ulp.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[unsafe(no_mangle)]
pub extern "C" fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// Runs the server until SIGTERM or SIGINT.
impl Shared {
    /// The profile served now.
    pub(crate) fn current(&self) -> Arc<Served> {
        match self.served.read() {
            Ok(served) => Arc::clone(&served),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    fn replace(&self, served: Served) {
        let served = Arc::new(served);
        match self.served.write() {
            Ok(mut slot) => *slot = served,
            Err(poisoned) => *poisoned.into_inner() = served,
        }
    }
}

/// The profile read again from `source`, if it passes `check` (its errors;
/// warnings are fine, as at start): `Err` says why not, for the log.
fn reload(source: &crate::profile::Source) -> Result<Served, String> {
    use crate::profile::{self, Source};
    let profile = match source {
        Source::Bundled => profile::load(source).map_err(|e| e.to_string())?,
        Source::File(path) => profile::load_checked(path)?,
    };
    Ok(Served::new(profile, source))
}

pub(crate) use crate::profile::Stamp;

/// The profile file's [`Stamp`], when the profile is a file.
fn file_stamp(source: &crate::profile::Source) -> Option<Stamp> {
    match source {
        crate::profile::Source::File(path) => crate::profile::stamp(path),
        crate::profile::Source::Bundled => None,
    }
}

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
        // Messages the render task may queue for a connection before it
        // waits: one, so that a client that stops reading holds at most the
        // frame russh is sending and the next one (russh stops taking from
        // the queue while it has data the client's window does not allow).
        event_buffer_size: 1,
        ..Config::default()
    }
}

async fn serve(
    profile: Profile,
    options: Options,
    key: russh::keys::PrivateKey,
) -> Result<(), String> {
    let (listener, from_systemd) = listener(&options.listen).await?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot listen: {e}"))?;
    let config = Arc::new(config(key));
    let mut stamp = file_stamp(&options.source);
    let lab = options
        .profiles
        .as_deref()
        .map(lab::Lab::open)
        .transpose()?;
    let shared = Arc::new(Shared {
        served: std::sync::RwLock::new(Arc::new(Served::new(profile, &options.source))),
        lab,
        admission: Arc::new(Admission::new(options.limits)),
        headers: Arc::new(tokio::sync::Semaphore::new(options.limits.max_sessions)),
        visits: std::sync::atomic::AtomicU64::new(0),
        options,
        noise: log::Noise::default(),
    });
    let mut term = signal(SignalKind::terminate()).map_err(|e| e.to_string())?;
    let mut int = signal(SignalKind::interrupt()).map_err(|e| e.to_string())?;
    // SIGHUP reads the profile again (and so closing the operator's
    // terminal no longer stops the server).
    let mut hup = signal(SignalKind::hangup()).map_err(|e| e.to_string())?;
    // The operator's view: a stats line every minute and on SIGUSR1.
    let mut usr1 = signal(SignalKind::user_defined1()).map_err(|e| e.to_string())?;
    let mut minutes =
        tokio::time::interval_at(tokio::time::Instant::now() + STATS_EVERY, STATS_EVERY);
    let mut watch = tokio::time::interval(WATCH_EVERY);
    watch.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut summaries = tokio::time::interval(log::WINDOW);
    log::line(&format!(
        "listening on {local} (ssh -p {} host){}",
        local.port(),
        if from_systemd {
            ", the socket systemd passed"
        } else {
            ""
        }
    ));
    // Type=notify: ready once the socket is ours and the key is loaded.
    // Without NOTIFY_SOCKET this does nothing.
    let _ = sd_notify::notify(&[sd_notify::NotifyState::Ready]);
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
            _ = minutes.tick() => stats_line(&shared),
            _ = usr1.recv() => stats_line(&shared),
            _ = hup.recv() => {
                if shared.lab.is_some() {
                    rescan_lab(&shared, true).await;
                } else {
                    stamp = file_stamp(&shared.options.source);
                    reload_now(&shared, "SIGHUP").await;
                }
            }
            _ = watch.tick() => {
                if shared.lab.is_some() {
                    rescan_lab(&shared, false).await;
                    continue;
                }
                let now = file_stamp(&shared.options.source);
                if now.is_some() && now != stamp {
                    stamp = now;
                    reload_now(&shared, "the file changed").await;
                }
            }
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
    let _ = sd_notify::notify(&[sd_notify::NotifyState::Stopping]);
    log::line("stopped");
    Ok(())
}

/// The listening socket: the one systemd passed (socket activation:
/// `LISTEN_FDS` and `LISTEN_PID` name this process), else `--listen` bound
/// here; and whether it came from systemd.
async fn listener(listen: &str) -> Result<(TcpListener, bool), String> {
    use std::os::fd::FromRawFd;
    let passed: Vec<std::os::fd::RawFd> = sd_notify::listen_fds()
        .map_err(|e| format!("cannot take the socket systemd passed: {e}"))?
        .collect();
    match passed.as_slice() {
        [] => TcpListener::bind(listen)
            .await
            .map(|l| (l, false))
            .map_err(|e| format!("cannot listen on {}: {e}", sanitize::line(listen))),
        [fd] => {
            if !is_listening_tcp(*fd) {
                return Err("the socket systemd passed is not a listening TCP socket \
                     (the .socket unit needs ListenStream= and Accept=no)"
                    .into());
            }
            // SAFETY: systemd passed this descriptor to this process
            // (LISTEN_PID is ours), it is a listening socket, and nothing
            // else here owns it.
            let socket = unsafe { std::net::TcpListener::from_raw_fd(*fd) };
            socket
                .set_nonblocking(true)
                .and_then(|()| TcpListener::from_std(socket))
                .map(|l| (l, true))
                .map_err(|e| format!("cannot use the socket systemd passed: {e}"))
        }
        more => Err(format!(
            "systemd passed {} sockets; termfolio serve takes one (one ListenStream=)",
            more.len()
        )),
    }
}

/// Whether `fd` is a stream socket of the internet that listens.
fn is_listening_tcp(fd: std::os::fd::RawFd) -> bool {
    let option = |level, name| {
        let mut value: libc::c_int = 0;
        let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: value and len are valid for the call; fd is only read.
        let ok =
            unsafe { libc::getsockopt(fd, level, name, (&raw mut value).cast(), &raw mut len) }
                == 0;
        ok.then_some(value)
    };
    option(libc::SOL_SOCKET, libc::SO_TYPE) == Some(libc::SOCK_STREAM)
        && option(libc::SOL_SOCKET, libc::SO_ACCEPTCONN) == Some(1)
        && matches!(
            option(libc::SOL_SOCKET, libc::SO_DOMAIN),
            Some(libc::AF_INET | libc::AF_INET6)
        )
}

/// Lets a new connection in, or closes it at once: the rates and limits are
/// checked before any SSH work, so a refusal costs only a `close`. A
/// trusted balancer's connection is checked once its PROXY header says
/// whose it is (the balancer itself is exempt from the rates).
fn accept(
    shared: &Arc<Shared>,
    config: &Arc<Config>,
    socket: tokio::net::TcpStream,
    peer: SocketAddr,
    stop: &watch::Receiver<bool>,
) {
    let trusted = shared
        .options
        .trusted_proxies
        .iter()
        .any(|net| net.contains(peer.ip()));
    if trusted {
        let Ok(reading) = Arc::clone(&shared.headers).try_acquire_owned() else {
            drop(socket);
            shared
                .noise
                .note("PROXY header (too many pending)", peer.ip(), || {
                    format!("{peer} refused: too many PROXY headers pending")
                });
            return;
        };
        tokio::spawn(proxied(
            Arc::clone(shared),
            Arc::clone(config),
            socket,
            peer,
            reading,
            stop.clone(),
        ));
        return;
    }
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
    tokio::spawn(connection::connection(
        Arc::clone(shared),
        Arc::clone(config),
        socket,
        peer,
        permit,
        stop.clone(),
        false,
    ));
}

/// A trusted balancer's connection: its PROXY header, read under a deadline
/// and a size bound, then the client it names admitted (rates and places)
/// as if it had connected itself. The balancer's own connections (health
/// checks) take a place under its address, free of the rates, and are only
/// counted in the log.
async fn proxied(
    shared: Arc<Shared>,
    config: Arc<Config>,
    socket: tokio::net::TcpStream,
    proxy: SocketAddr,
    reading: tokio::sync::OwnedSemaphorePermit,
    stop: watch::Receiver<bool>,
) {
    let header = tokio::time::timeout(PROXY_HEADER_TIMEOUT, proxy::read_header(&socket)).await;
    drop(reading);
    let carried = match header {
        Ok(Ok(carried)) => carried,
        Ok(Err(e)) => {
            drop(socket);
            shared.noise.note("bad PROXY header", proxy.ip(), || {
                format!(
                    "{proxy} refused: bad PROXY header: {}",
                    sanitize::line(&e.to_string())
                )
            });
            return;
        }
        Err(_) => {
            drop(socket);
            shared.noise.note("PROXY header timeout", proxy.ip(), || {
                format!("{proxy} refused: no PROXY header within {PROXY_HEADER_TIMEOUT:?}")
            });
            return;
        }
    };
    let (client, admitted, check) = match carried {
        proxy::Carried::Client(client) => (client, shared.admission.admit(client.ip()), false),
        proxy::Carried::Local => (proxy, shared.admission.place(proxy.ip()), true),
    };
    let permit = match admitted {
        Ok(permit) => permit,
        Err(refusal) => {
            drop(socket);
            let reason = refusal.reason();
            shared.noise.note(refusal.kind(), client.ip(), || {
                format!("{client} (through {proxy}) refused: {reason}")
            });
            return;
        }
    };
    let _ = socket.set_nodelay(true);
    connection::connection(shared, config, socket, client, permit, stop, check).await;
}
