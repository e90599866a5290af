//! `termfolio serve` with real clients: the built server on a free port, and
//! OpenSSH's `ssh`, `sftp`, `scp` and `ssh-keyscan` against it, in pseudo-
//! terminals of our own (`openpty`) and in tmux (README, "Serve it
//! over SSH"). `.ci/run` installs openssh-client and tmux.
//!
//! Every server runs in a sandbox directory that is its `HOME` and XDG
//! directories, with an empty environment plus `NO_COLOR=1` (the server's
//! environment must not decide a visitor's colours), and is killed on drop.
//! Every wait has a deadline: nothing here can hang.

mod common;

use std::fs::{self, File};
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::{BIN, Run, Sandbox, TmuxServer, assert_no_line_wider, run_within, sgr_params};

const HOST: &str = "127.0.0.1";
const NAME: &str = "Tongtian Zhu";
const SECOND_PAPER: &str = "Decentralized SGD and Average-direction SAM";
/// Longest any one client command may take before the test fails as a hang.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(30);
/// Ceiling on the server's resident memory under the hostile tests.
const RSS_LIMIT_KB: u64 = 200 * 1024;

// ---------------------------------------------------------------------------
// Waiting
// ---------------------------------------------------------------------------

/// Polls `ok` until it holds or `timeout` passes; whether it held.
fn wait_until(timeout: Duration, mut ok: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if ok() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        sleep(Duration::from_millis(20));
    }
}

/// A process's exit status within `timeout`, or `None` (it keeps running).
fn exit_within(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let mut status = None;
    wait_until(timeout, || {
        status = child.try_wait().ok().flatten();
        status.is_some()
    });
    status
}

/// A field of `/proc/PID/status` in kB (`VmRSS`, `VmHWM`).
fn vm_kb(pid: u32, field: &str) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// A unique name for tmux sockets.
fn unique(what: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "termfolio-serve-{what}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// A small deterministic generator for the garbage tests.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn bytes(&mut self, n: usize, keep: impl Fn(u8) -> bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let b = self.next().to_le_bytes()[3];
            if keep(b) {
                out.push(b);
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------

/// `termfolio serve --listen 127.0.0.1:0 --host-key KEY ARGS`, its stderr read
/// on a thread. Killed on drop.
struct Server {
    child: Child,
    pid: u32,
    port: u16,
    log: Arc<Mutex<String>>,
    /// The sandbox directory: `HOME` of the server and of every client.
    dir: PathBuf,
    _sandbox: Option<Sandbox>,
}

/// The serve command in `dir` (its `HOME`, XDG data and config home), with an
/// empty environment apart from those and `NO_COLOR=1`.
fn serve_command(dir: &Path, key: Option<&Path>, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--listen", "127.0.0.1:0"]);
    if let Some(key) = key {
        cmd.arg("--host-key").arg(key);
    }
    cmd.args(args)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("LANG", "C.UTF-8")
        .env("NO_COLOR", "1")
        .current_dir(dir);
    cmd
}

impl Server {
    /// A server in a sandbox of its own, its key at `hostkey/key` there.
    fn start(args: &[&str]) -> Server {
        let sandbox = Sandbox::new();
        let key = sandbox.path().join("hostkey").join("key");
        let mut server = Server::spawn(sandbox.path(), Some(&key), args);
        server._sandbox = Some(sandbox);
        server
    }

    /// A server in `dir` with the key at `key` (the default place if `None`);
    /// returns once it listens.
    fn spawn(dir: &Path, key: Option<&Path>, args: &[&str]) -> Server {
        let mut child = serve_command(dir, key, args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn termfolio serve");
        let log = Arc::new(Mutex::new(String::new()));
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            let mut line = Vec::new();
            while stderr.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&line));
                line.clear();
            }
        });
        let pid = child.id();
        let mut server = Server {
            child,
            pid,
            port: 0,
            log,
            dir: dir.to_path_buf(),
            _sandbox: None,
        };
        let listening = wait_until(Duration::from_secs(30), || {
            server.log().contains("listening on") || server.exited()
        });
        let log = server.log();
        assert!(
            listening && log.contains("listening on"),
            "the server did not start:\n{log}"
        );
        let addr = log
            .split("listening on ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|a| a.parse::<SocketAddr>().ok())
            .unwrap_or_else(|| panic!("no address in the start line:\n{log}"));
        server.port = addr.port();
        server
    }

    fn exited(&mut self) -> bool {
        self.child.try_wait().ok().flatten().is_some()
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// The per-session log lines (those with `user=`).
    fn sessions(&self) -> Vec<String> {
        self.log()
            .lines()
            .filter(|l| l.contains(" user="))
            .map(str::to_string)
            .collect()
    }

    /// Waits for a log line containing `needle`; panics with the log if none
    /// comes within `timeout`.
    #[track_caller]
    fn expect_log(&self, needle: &str, timeout: Duration) -> String {
        let mut found = None;
        wait_until(timeout, || {
            found = self
                .log()
                .lines()
                .find(|l| l.contains(needle))
                .map(String::from);
            found.is_some()
        });
        found.unwrap_or_else(|| panic!("no log line with {needle:?}:\n{}", self.log()))
    }

    /// How many log lines contain `needle`.
    fn count_log(&self, needle: &str) -> usize {
        self.log().lines().filter(|l| l.contains(needle)).count()
    }

    /// Waits until exactly `n` log lines contain `needle` (a session's line
    /// may come a moment after its client has exited).
    #[track_caller]
    fn expect_count(&self, needle: &str, n: usize) {
        let done = wait_until(Duration::from_secs(5), || self.count_log(needle) >= n);
        let count = self.count_log(needle);
        assert!(
            done && count == n,
            "{count} log lines with {needle:?}, not {n}:\n{}",
            self.log()
        );
    }

    /// The server is running and has not panicked.
    #[track_caller]
    fn assert_healthy(&mut self) {
        assert!(!self.exited(), "the server exited:\n{}", self.log());
        let log = self.log();
        assert!(
            !log.contains("panicked") && !log.contains("RUST_BACKTRACE"),
            "the server panicked:\n{log}"
        );
    }

    fn rss_kb(&self) -> u64 {
        vm_kb(self.pid, "VmRSS")
    }

    fn peak_kb(&self) -> u64 {
        vm_kb(self.pid, "VmHWM")
    }

    /// The client options every test uses (no user config, no host key
    /// checks, no prompts).
    fn options(&self) -> Vec<String> {
        common::SSH_OPTIONS.map(String::from).to_vec()
    }

    /// `program` (an OpenSSH client) with a clean environment, in the sandbox.
    fn client(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", &self.dir)
            .env("LANG", "C.UTF-8")
            .env("TERM", "xterm-256color")
            .current_dir(&self.dir)
            .args(self.options());
        cmd
    }

    /// `ssh -p PORT ARGS` (ARGS end with the host and any command).
    fn ssh_command(&self, args: &[&str]) -> Command {
        let mut cmd = self.client("ssh");
        cmd.args(["-p", &self.port.to_string()]).args(args);
        cmd
    }

    /// Runs `ssh -p PORT ARGS` with stdin closed.
    fn ssh(&self, args: &[&str]) -> Run {
        run_within(self.ssh_command(args), None, CLIENT_TIMEOUT)
    }

    /// A viewer: `ssh -tt` in a pseudo-terminal of `columns` x `rows`, with
    /// `TERM=term`; returns once the first frame is there.
    fn viewer(&self, term: &str, columns: u16, rows: u16, extra: &[&str]) -> Pty {
        let mut cmd = self.ssh_command(extra);
        cmd.args(["-tt", HOST]).env("TERM", term);
        let pty = Pty::spawn(cmd, columns, rows);
        pty.expect("Publications", Duration::from_secs(20), "the first frame");
        pty
    }

    /// The card, as `ssh -T` gets it: exit 0 and the name.
    #[track_caller]
    fn assert_card(&self, extra: &[&str]) {
        let mut args = extra.to_vec();
        args.extend(["-T", HOST]);
        let run = self.ssh(&args);
        let out = String::from_utf8_lossy(&run.stdout);
        assert!(
            run.code == Some(0) && out.contains(NAME),
            "ssh {args:?}: expected the card and exit 0\n{}\n--- server log ---\n{}",
            run.dump(),
            self.log()
        );
    }

    /// SIGTERM.
    fn terminate(&self) {
        let pid = libc::pid_t::try_from(self.pid).unwrap();
        // SAFETY: kill(2) on our own child's pid.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    }

    /// The server has no child processes (nothing was run or opened).
    #[track_caller]
    fn assert_no_children(&self) {
        let tasks = fs::read_dir(format!("/proc/{}/task", self.pid)).unwrap();
        for task in tasks.flatten() {
            let children = fs::read_to_string(task.path().join("children")).unwrap_or_default();
            assert!(
                children.trim().is_empty(),
                "the server started processes: {children}"
            );
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------
// A pseudo-terminal of our own
// ---------------------------------------------------------------------------

/// A process in a fresh pseudo-terminal that is its controlling terminal (so
/// a size change on the master sends it SIGWINCH). Everything it writes is
/// collected raw, escape sequences and all. Killed on drop.
struct Pty {
    child: Child,
    master: File,
    out: Arc<Mutex<Vec<u8>>>,
    /// Set when the reader has seen the end of the output.
    drained: Arc<AtomicBool>,
    /// Set to stop reading, as a client whose terminal no longer drains.
    paused: Arc<AtomicBool>,
}

impl Pty {
    fn spawn(mut cmd: Command, columns: u16, rows: u16) -> Pty {
        let size = winsize(columns, rows);
        let (mut master, mut slave) = (-1, -1);
        // SAFETY: openpty writes two descriptors, which we then own.
        let rc = unsafe {
            libc::openpty(
                &raw mut master,
                &raw mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &raw const size,
            )
        };
        assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
        // SAFETY: both descriptors are fresh and ours alone.
        let (master, slave) =
            unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        for fd in [&master, &slave] {
            // SAFETY: fcntl on a descriptor we own.
            unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) };
        }
        cmd.stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave));
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn a client in a pty");
        // The parent's copies of the slave go with the command.
        drop(cmd);
        let master = File::from(master);
        let out = Arc::new(Mutex::new(Vec::new()));
        let mut reader = master.try_clone().unwrap();
        let sink = Arc::clone(&out);
        let drained = Arc::new(AtomicBool::new(false));
        let done = Arc::clone(&drained);
        let paused = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&paused);
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                if stop.load(Ordering::SeqCst) {
                    sleep(Duration::from_millis(50));
                    continue;
                }
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => sink.lock().unwrap().extend_from_slice(&buf[..n]),
                    Err(e) if e.kind() == ErrorKind::Interrupted => {}
                    // EIO: the last process on the slave side is gone.
                    Err(_) => break,
                }
            }
            done.store(true, Ordering::SeqCst);
        });
        Pty {
            child,
            master,
            out,
            drained,
            paused,
        }
    }

    /// Stops reading the output (after the read under way): the client's
    /// writes then block and it stops taking data from the server.
    fn pause_reading(&self) {
        self.paused.store(true, Ordering::SeqCst);
    }

    /// The client's process id.
    fn pid(&self) -> libc::pid_t {
        libc::pid_t::try_from(self.child.id()).unwrap()
    }

    fn raw(&self) -> Vec<u8> {
        self.out.lock().unwrap().clone()
    }

    fn len(&self) -> usize {
        self.out.lock().unwrap().len()
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.raw()).into_owned()
    }

    /// Whether `needle` shows up in the output after byte `from` within `timeout`.
    fn wait_for_after(&self, from: usize, needle: &str, timeout: Duration) -> bool {
        wait_until(timeout, || {
            let out = self.out.lock().unwrap();
            let tail = &out[from.min(out.len())..];
            String::from_utf8_lossy(tail).contains(needle)
        })
    }

    #[track_caller]
    fn expect(&self, needle: &str, timeout: Duration, what: &str) {
        self.expect_after(0, needle, timeout, what);
    }

    #[track_caller]
    fn expect_after(&self, from: usize, needle: &str, timeout: Duration, what: &str) {
        if !self.wait_for_after(from, needle, timeout) {
            let text = self.text();
            let start = text.len().saturating_sub(3000);
            let start = (start..text.len())
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            panic!(
                "timed out waiting for {what} ({needle:?}); the last output:\n{:?}",
                &text[start..]
            );
        }
    }

    /// Types `bytes`; false if the terminal is gone.
    fn write(&mut self, bytes: &[u8]) -> bool {
        self.master.write_all(bytes).is_ok()
    }

    /// Sets the window size (the kernel sends SIGWINCH to the client).
    fn resize(&self, columns: u16, rows: u16) {
        let size = winsize(columns, rows);
        // SAFETY: TIOCSWINSZ on our master with a valid winsize.
        unsafe { libc::ioctl(self.master.as_raw_fd(), libc::TIOCSWINSZ, &raw const size) };
    }

    /// The client's exit status within `timeout`, once all it wrote is read.
    fn wait(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let status = exit_within(&mut self.child, timeout)?;
        wait_until(Duration::from_secs(5), || {
            self.drained.load(Ordering::SeqCst)
        });
        Some(status)
    }

    /// Presses `q` and expects the client to exit 0.
    #[track_caller]
    fn quit(&mut self) {
        assert!(self.write(b"q"), "the terminal is gone");
        let status = self.wait(Duration::from_secs(10));
        assert!(
            status.is_some_and(|s| s.success()),
            "q: the client exited with {status:?}; output:\n{:?}",
            self.text()
        );
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn winsize(columns: u16, rows: u16) -> libc::winsize {
    libc::winsize {
        ws_row: rows,
        ws_col: columns,
        ws_xpixel: 0,
        ws_ypixel: 0,
    }
}

/// The SGR sequences in `bytes` that set a colour (30–37, 40–47, 90–97,
/// 100–107, 38/48 extended).
fn colour_sgrs(bytes: &[u8]) -> Vec<String> {
    sgr_params(&String::from_utf8_lossy(bytes))
        .into_iter()
        .filter(|params| {
            params.iter().any(|p| {
                p.parse::<u16>()
                    .is_ok_and(|n| matches!(n, 30..=38 | 40..=48 | 90..=97 | 100..=107))
            })
        })
        .map(|params| params.join(";"))
        .collect()
}

/// The largest row and column any `ESC [ row ; col H` in `bytes` moves to.
fn furthest_cursor(bytes: &[u8]) -> (u32, u32) {
    let text = String::from_utf8_lossy(bytes);
    let (mut rows, mut columns) = (0, 0);
    for part in text.split("\x1b[").skip(1) {
        let end = part
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(part.len());
        if part[end..].starts_with('H')
            && let Some((r, c)) = part[..end].split_once(';')
        {
            rows = rows.max(r.parse().unwrap_or(0));
            columns = columns.max(c.parse().unwrap_or(0));
        }
    }
    (rows, columns)
}

// ---------------------------------------------------------------------------
// tmux
// ---------------------------------------------------------------------------

/// A tmux server of our own whose one pane runs `ssh -tt` to the server;
/// ssh's exit status goes to a file, and the pane stays (a shell sleeps in
/// it) so that the terminal's state can be read afterwards.
struct Tmux {
    server: TmuxServer,
    status: PathBuf,
}

impl std::ops::Deref for Tmux {
    type Target = TmuxServer;
    fn deref(&self) -> &TmuxServer {
        &self.server
    }
}

impl Tmux {
    fn ssh(server: &Server, extra: &[&str]) -> Tmux {
        let socket = unique("tmux");
        let status = server.dir.join(format!("{socket}.status"));
        let mut cmd = TmuxServer::session_command(&socket);
        cmd.env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", &server.dir)
            .env("LANG", "C.UTF-8")
            .current_dir(&server.dir)
            .args(["sh", "-c", "ssh \"$@\"; echo $? > \"$0\"; exec sleep 600"])
            .arg(&status)
            .args(server.options())
            .args(["-p", &server.port.to_string()])
            .args(extra)
            .args(["-tt", HOST]);
        Tmux {
            server: TmuxServer::start(socket, cmd, "the serve tests"),
            status,
        }
    }

    /// Waits for the pane's `name` to be `value` (tmux may be a little
    /// behind the client's last output).
    #[track_caller]
    fn expect_flag(&self, name: &str, value: &str, what: &str) {
        let mut now = String::new();
        let done = wait_until(Duration::from_secs(5), || {
            now = self.flag(name);
            now == value
        });
        assert!(done, "{what}: {name} is {now}, not {value}");
    }

    fn resize(&self, columns: u16, rows: u16) {
        self.tmux(&[
            "resize-window",
            "-t",
            "0",
            "-x",
            &columns.to_string(),
            "-y",
            &rows.to_string(),
        ]);
    }

    #[track_caller]
    fn expect(&self, mut ok: impl FnMut(&str) -> bool, what: &str) {
        let mut screen = String::new();
        let done = wait_until(Duration::from_secs(15), || {
            screen = self.capture();
            ok(&screen)
        });
        assert!(done, "timed out waiting for {what}; screen:\n{screen}");
    }

    /// ssh's exit status, once it has exited.
    #[track_caller]
    fn exit_status(&self, timeout: Duration) -> i32 {
        let mut text = String::new();
        let done = wait_until(timeout, || {
            text = fs::read_to_string(&self.status).unwrap_or_default();
            !text.trim().is_empty()
        });
        assert!(
            done,
            "ssh did not exit within {timeout:?}; screen:\n{}",
            self.capture()
        );
        text.trim().parse().unwrap()
    }
}

// ---------------------------------------------------------------------------
// Raw TCP
// ---------------------------------------------------------------------------

/// A TCP connection to the server from `source` (any 127.x address).
fn tcp_from(source: Ipv4Addr, port: u16) -> TcpStream {
    let sockaddr = |ip: Ipv4Addr, port: u16| libc::sockaddr_in {
        sin_family: libc::sa_family_t::try_from(libc::AF_INET).unwrap(),
        sin_port: port.to_be(),
        sin_addr: libc::in_addr {
            s_addr: u32::from(ip).to_be(),
        },
        sin_zero: [0; 8],
    };
    let len = libc::socklen_t::try_from(std::mem::size_of::<libc::sockaddr_in>()).unwrap();
    // SAFETY: a fresh socket we own, bound and connected with valid addresses.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0);
        assert!(fd >= 0, "socket: {}", std::io::Error::last_os_error());
        let stream = TcpStream::from_raw_fd(fd);
        let src = sockaddr(source, 0);
        let rc = libc::bind(fd, (&raw const src).cast(), len);
        assert_eq!(rc, 0, "bind {source}: {}", std::io::Error::last_os_error());
        let dst = sockaddr(Ipv4Addr::LOCALHOST, port);
        let rc = libc::connect(fd, (&raw const dst).cast(), len);
        assert_eq!(rc, 0, "connect: {}", std::io::Error::last_os_error());
        stream
    }
}

/// Reads until the peer closes (EOF or reset); whether it did within `timeout`.
fn closed_within(stream: &mut TcpStream, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        stream.set_read_timeout(Some(left)).unwrap();
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return false;
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return true,
        }
    }
}

/// Reads what the server sends first (its SSH identification line).
fn banner(stream: &mut TcpStream) -> String {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut buf = [0u8; 256];
    let n = stream.read(&mut buf).unwrap_or(0);
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

// ---------------------------------------------------------------------------
// The card: no PTY, exec, any user
// ---------------------------------------------------------------------------

#[test]
fn without_a_pty_the_card_then_exit_0() {
    let server = Server::start(&[]);
    let run = server.ssh(&["-T", HOST]);
    let out = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.code, Some(0), "{}", run.dump());
    assert!(out.contains(NAME), "{out}");
    assert!(out.contains("ssh -t"), "the card says how to browse: {out}");
    assert!(
        colour_sgrs(&run.stdout).is_empty(),
        "no colour without a terminal: {out:?}"
    );
    let line = server.expect_log("card (no pty)", Duration::from_secs(5));
    assert!(line.contains("127.0.0.1:"), "{line}");
}

#[test]
fn exec_gets_the_card_and_nothing_runs() {
    let server = Server::start(&[]);
    let marker = server.dir.join("pwned");
    for command in [
        "cat /etc/passwd".to_string(),
        format!("touch {}", marker.display()),
        "exec /bin/sh -i".to_string(),
    ] {
        let run = server.ssh(&[HOST, &command]);
        let out = String::from_utf8_lossy(&run.stdout);
        assert_eq!(run.code, Some(0), "{command}: {}", run.dump());
        assert!(out.contains(NAME), "{command}: {out}");
        assert!(
            !out.contains("root:x:0:0"),
            "{command}: passwd leaked: {out}"
        );
    }
    assert!(!marker.exists(), "a command ran on the server");
    server.expect_count("card (exec refused)", 3);
    server.assert_no_children();
}

#[test]
fn any_user_name_gets_in_and_the_log_stays_clean() {
    let server = Server::start(&[]);
    let long = "x".repeat(300);
    for user in [
        "alice",
        "a user with spaces",
        "esc\u{1b}[31mred\u{7}bell\u{1b}]0",
        "ünïcødé",
        "tab\there",
        // A name that would forge the fields after it, were it not quoted.
        "bob 0.1s in=0B out=0B quit",
        long.as_str(),
    ] {
        // From a config file: OpenSSH 9.2p1-2+deb12u10 (and 10.3) refuse
        // control characters in a user name given on the command line, but
        // a client can still send any name, and so can a hostile one.
        let config = server.dir.join("user.config");
        fs::write(&config, format!("Host *\n  User \"{user}\"\n")).unwrap();
        server.assert_card(&["-F", config.to_str().unwrap()]);
    }
    server.expect_count(" user=", 7);
    let log = server.log();
    let sessions = server.sessions();
    assert_eq!(sessions.len(), 7, "{log}");
    assert!(
        sessions.iter().all(|l| l.ends_with(" card (no pty)")),
        "{log}"
    );
    assert!(log.contains("user=\"alice\" "), "{log}");
    let forged = sessions
        .iter()
        .find(|l| l.contains("bob"))
        .expect("bob's line");
    assert!(
        forged.contains(r#"user="bob 0.1s in=0B out=0B quit" "#)
            && forged.matches(" in=").count() == 2,
        "the user name is not one quoted field: {forged}"
    );
    assert!(
        !log.chars().any(|c| c.is_control() && c != '\n'),
        "control characters reached the log: {log:?}"
    );
    assert!(!log.contains(&long), "user names are cut short in the log");
}

// ---------------------------------------------------------------------------
// Everything else is refused
// ---------------------------------------------------------------------------

#[test]
fn sftp_is_refused() {
    let server = Server::start(&[]);
    let mut cmd = server.client("sftp");
    cmd.args(["-P", &server.port.to_string(), "-b", "-", HOST]);
    let run = run_within(
        cmd,
        Some(b"ls /\nget /etc/passwd\n".to_vec()),
        CLIENT_TIMEOUT,
    );
    assert_ne!(run.code, Some(0), "sftp got in:\n{}", run.dump());
    assert!(
        !String::from_utf8_lossy(&run.stdout).contains("passwd"),
        "{}",
        run.dump()
    );
    server.expect_log("subsystem refused", Duration::from_secs(5));
    assert!(!server.dir.join("passwd").exists());
}

#[test]
fn scp_copies_nothing_either_way() {
    let server = Server::start(&[]);
    let src = server.dir.join("src.txt");
    fs::write(&src, "hello\n").unwrap();
    let port = server.port.to_string();
    let uploaded = server.dir.join("uploaded.txt");
    let downloaded = server.dir.join("downloaded.txt");
    // Legacy protocol (exec of `scp -t` / `scp -f`: the card) and the default
    // (the sftp subsystem: refused), both directions.
    for legacy in [true, false] {
        let flags: &[&str] = if legacy { &["-O"] } else { &[] };
        let mut up = server.client("scp");
        up.args(["-P", &port])
            .args(flags)
            .arg(&src)
            .arg(format!("{HOST}:{}", uploaded.display()));
        let run = run_within(up, None, CLIENT_TIMEOUT);
        assert_ne!(run.code, Some(0), "scp upload succeeded:\n{}", run.dump());
        let mut down = server.client("scp");
        down.args(["-P", &port])
            .args(flags)
            .arg(format!("{HOST}:/etc/passwd"))
            .arg(&downloaded);
        let run = run_within(down, None, CLIENT_TIMEOUT);
        assert_ne!(run.code, Some(0), "scp download succeeded:\n{}", run.dump());
        assert!(!uploaded.exists(), "scp wrote a file on the server");
        assert!(!downloaded.exists(), "scp fetched a file from the server");
    }
    server.expect_count("card (exec refused)", 2);
    server.expect_count("subsystem refused", 2);
}

#[test]
fn forwarding_is_refused() {
    let server = Server::start(&[]);
    let target = format!("127.0.0.1:{}", server.port);
    // Stdio forwarding: a direct-tcpip channel to a port that does listen
    // (the server's own), so a failure is a refusal.
    let run = server.ssh(&["-W", &target, HOST]);
    assert_ne!(run.code, Some(0), "-W was allowed:\n{}", run.dump());
    assert!(
        !String::from_utf8_lossy(&run.stdout).contains("SSH-2.0"),
        "-W reached the target:\n{}",
        run.dump()
    );
    // Remote forwarding: tcpip-forward refused, so ssh gives up.
    let forward = format!("0:{target}");
    let run = server.ssh(&["-N", "-R", &forward, "-o", "ExitOnForwardFailure=yes", HOST]);
    assert_ne!(run.code, Some(0), "-R was allowed:\n{}", run.dump());
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("forwarding failed"),
        "{}",
        run.dump()
    );
    server.assert_no_children();
}

#[test]
fn agent_and_x11_forwarding_get_only_the_card_or_viewer() {
    let server = Server::start(&[]);
    // A real agent, so that ssh does ask to forward it.
    let socket = server.dir.join("agent.sock");
    let mut agent = Command::new("ssh-agent")
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .args(["-D", "-a"])
        .arg(&socket)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("ssh-agent");
    assert!(wait_until(Duration::from_secs(5), || socket.exists()));
    for flags in [
        &["-A", "-o", "ForwardAgent=yes"][..],
        &["-X", "-o", "ForwardX11=yes"][..],
        &["-A", "-X", "-Y"][..],
    ] {
        let mut args = flags.to_vec();
        args.extend(["-T", HOST]);
        let mut cmd = server.ssh_command(&args);
        cmd.env("SSH_AUTH_SOCK", &socket).env("DISPLAY", ":77");
        let run = run_within(cmd, None, CLIENT_TIMEOUT);
        assert_eq!(run.code, Some(0), "{flags:?}:\n{}", run.dump());
        assert!(String::from_utf8_lossy(&run.stdout).contains(NAME));
        let mut cmd = server.ssh_command(flags);
        cmd.args(["-tt", HOST])
            .env("SSH_AUTH_SOCK", &socket)
            .env("DISPLAY", ":77");
        let mut viewer = Pty::spawn(cmd, 80, 24);
        viewer.expect("Publications", Duration::from_secs(20), "the viewer");
        viewer.quit();
    }
    let _ = agent.kill();
    let _ = agent.wait();
    let mut server = server;
    server.assert_healthy();
    server.assert_no_children();
}

// ---------------------------------------------------------------------------
// The viewer through a PTY
// ---------------------------------------------------------------------------

#[test]
fn viewer_in_tmux_browses_resizes_and_quits() {
    let server = Server::start(&[]);
    let t = Tmux::ssh(&server, &[]);
    t.expect(
        |s| s.contains(NAME) && s.contains("╭ Bio") && s.contains("Publications"),
        "the Bio screen",
    );
    assert_eq!(
        t.flag("alternate_on"),
        "1",
        "the viewer is on the alternate screen"
    );
    t.keys(&["4"]);
    t.expect(|s| s.contains("Selected Publications"), "the publications");
    t.keys(&["Down"]);
    t.keys(&["Enter"]);
    t.expect(
        |s| s.contains(SECOND_PAPER) && s.contains("Esc: back"),
        "the second paper's detail",
    );
    // Narrow and short: the details go below the list.
    t.resize(50, 16);
    t.expect(
        |s| {
            let lines: Vec<&str> = s.lines().collect();
            let list = lines
                .iter()
                .position(|l| l.contains("Selected Publications"));
            let details = lines.iter().position(|l| l.contains("╭ Details"));
            matches!((list, details), (Some(l), Some(d)) if d > l && !lines[l].contains("Details"))
        },
        "the details box below the list at 50x16",
    );
    let screen = t.capture();
    assert_no_line_wider(&screen, 50, "50x16");
    assert!(screen.lines().count() <= 16, "{screen}");
    // And back.
    t.resize(100, 30);
    t.expect(
        |s| {
            s.lines()
                .any(|l| l.contains("Selected Publications") && l.contains("Details"))
        },
        "the details beside the list again at 100x30",
    );
    t.keys(&["q"]);
    assert_eq!(t.exit_status(Duration::from_secs(10)), 0, "{}", t.capture());
    t.expect_flag("alternate_on", "0", "alternate screen left");
    t.expect_flag("mouse_any_flag", "0", "mouse reporting off");
    t.expect_flag("cursor_flag", "1", "cursor shown");
    let line = server.expect_log(" quit", Duration::from_secs(5));
    assert!(line.ends_with("quit"), "{line}");
}

#[test]
fn colour_follows_the_visitors_term_not_the_servers_environment() {
    // The server runs with NO_COLOR=1 (see `serve_command`).
    let server = Server::start(&[]);
    let mut dumb = server.viewer("dumb", 100, 30, &[]);
    dumb.quit();
    let raw = dumb.raw();
    assert!(String::from_utf8_lossy(&raw).contains("Tongtian"));
    assert_eq!(
        colour_sgrs(&raw),
        Vec::<String>::new(),
        "TERM=dumb got colours"
    );

    let mut xterm = server.viewer("xterm-256color", 100, 30, &[]);
    xterm.quit();
    assert!(
        !colour_sgrs(&xterm.raw()).is_empty(),
        "TERM=xterm-256color got no colour"
    );

    // The visitor's own NO_COLOR, sent with SetEnv, turns colour off.
    let mut no_color = server.viewer("xterm-256color", 100, 30, &["-o", "SetEnv=NO_COLOR=1"]);
    no_color.quit();
    assert_eq!(
        colour_sgrs(&no_color.raw()),
        Vec::<String>::new(),
        "NO_COLOR from the client"
    );
    server.expect_count(" quit", 3);
}

#[test]
fn hyperlinks_follow_the_visitors_terminal_and_links_never_open_on_the_server() {
    let server = Server::start(&[]);
    // TERM_PROGRAM sent with SetEnv says the terminal takes OSC 8.
    let mut wez = server.viewer(
        "xterm-256color",
        100,
        30,
        &["-o", "SetEnv=TERM_PROGRAM=WezTerm"],
    );
    wez.expect(
        "\x1b]8;id=tf1;https://www.zju.edu.cn/english/\x1b\\",
        Duration::from_secs(10),
        "the Bio's first link as a hyperlink",
    );
    // o opens the picker over SSH too; Enter shows the link, opens nothing.
    let from = wez.len();
    assert!(wez.write(b"o"));
    wez.expect_after(from, "Links", Duration::from_secs(10), "the picker");
    let from = wez.len();
    assert!(wez.write(b"\r"));
    wez.expect_after(
        from,
        "Link: https://www.zju.edu.cn/english/",
        Duration::from_secs(10),
        "the link shown in the footer",
    );
    server.assert_no_children();
    wez.quit();

    // An xterm that says nothing more gets link styles only, and so does
    // every visitor of a server started with --hyperlinks never.
    let mut xterm = server.viewer("xterm-256color", 100, 30, &[]);
    xterm.quit();
    assert!(!String::from_utf8_lossy(&xterm.raw()).contains("\x1b]8"));
    let never = Server::start(&["--hyperlinks", "never"]);
    let mut wez = never.viewer(
        "xterm-kitty",
        100,
        30,
        &["-o", "SetEnv=TERM_PROGRAM=WezTerm"],
    );
    wez.quit();
    assert!(!String::from_utf8_lossy(&wez.raw()).contains("\x1b]8"));
}

#[test]
fn visitors_see_the_photo_in_the_colours_their_terminal_takes() {
    let server = Server::start(&[]);
    let mut xterm = server.viewer("xterm-256color", 100, 30, &[]);
    xterm.quit();
    let raw = String::from_utf8_lossy(&xterm.raw()).into_owned();
    assert!(raw.contains('▀') || raw.contains('▄'), "no half blocks");
    assert!(
        raw.contains(";48;5;"),
        "the 256-colour palette for an xterm-256color"
    );
    assert!(
        !raw.contains(";48;2;"),
        "no true colour unless the terminal says so"
    );
    let mut truecolor = server.viewer(
        "xterm-256color",
        100,
        30,
        &["-o", "SetEnv=COLORTERM=truecolor"],
    );
    truecolor.quit();
    assert!(String::from_utf8_lossy(&truecolor.raw()).contains(";48;2;"));
    let mut dumb = server.viewer("dumb", 100, 30, &[]);
    dumb.quit();
    let raw = String::from_utf8_lossy(&dumb.raw()).into_owned();
    assert!(
        !raw.contains('▀') && !raw.contains('▄'),
        "TERM=dumb got a photo"
    );
}

/// The graphics query the viewer sends a visitor's terminal (for the photo).
const GRAPHICS_QUERY: &str = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\\x1b[16t\x1b[c";

#[test]
fn a_visitors_terminal_is_asked_about_graphics_through_their_channel() {
    let server = Server::start(&[]);
    // A terminal that answers kitty's query gets the photo as a kitty image.
    let mut cmd = server.ssh_command(&[]);
    cmd.args(["-tt", HOST]).env("TERM", "xterm-256color");
    let mut kitty = Pty::spawn(cmd, 100, 30);
    kitty.expect(
        GRAPHICS_QUERY,
        Duration::from_secs(20),
        "the graphics query",
    );
    assert!(kitty.write(b"\x1b_Gi=31;OK\x1b\\\x1b[6;20;10t\x1b[?62;22c"));
    kitty.expect("a=T", Duration::from_secs(10), "a kitty image");
    kitty.expect("Publications", Duration::from_secs(10), "the first frame");
    server.assert_no_children();
    kitty.quit();

    // One that never answers costs the wait once, then gets half blocks; its
    // late answer is not read as keys (a `4` would be the fourth tab).
    let mut cmd = server.ssh_command(&[]);
    cmd.args(["-tt", HOST]).env("TERM", "xterm-256color");
    let mut silent = Pty::spawn(cmd, 100, 30);
    silent.expect(
        GRAPHICS_QUERY,
        Duration::from_secs(20),
        "the graphics query",
    );
    silent.expect("Publications", Duration::from_secs(10), "the first frame");
    silent.expect("\u{2580}", Duration::from_secs(10), "half blocks");
    let from = silent.len();
    assert!(silent.write(b"\x1b[?62;4;22c"));
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !silent.text()[from..].contains("Selected Publications"),
        "read as keys"
    );
    silent.quit();
    let raw = String::from_utf8_lossy(&silent.raw()).into_owned();
    assert!(
        !raw.contains("a=T") && !raw.contains("\x1bP"),
        "graphics without an answer"
    );
}

// ---------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------

#[test]
fn per_address_limit_refuses_the_third_then_admits_again() {
    let server = Server::start(&["--max-per-ip", "2"]);
    let mut first = server.viewer("xterm", 80, 24, &[]);
    let second = server.viewer("xterm", 80, 24, &[]);
    let run = server.ssh(&["-T", HOST]);
    assert_ne!(run.code, Some(0), "a third session got in:\n{}", run.dump());
    assert!(!String::from_utf8_lossy(&run.stdout).contains(NAME));
    server.expect_log("refused: connection limit", Duration::from_secs(5));
    first.quit();
    server.expect_log(" quit", Duration::from_secs(5));
    // The place is given back once the connection is gone.
    let mut run = server.ssh(&["-T", HOST]);
    let start = Instant::now();
    while run.code != Some(0) && start.elapsed() < Duration::from_secs(5) {
        sleep(Duration::from_millis(200));
        run = server.ssh(&["-T", HOST]);
    }
    assert_eq!(run.code, Some(0), "{}\n{}", run.dump(), server.log());
    assert!(String::from_utf8_lossy(&run.stdout).contains(NAME));
    drop(second);
}

#[test]
fn max_sessions_turns_visitors_away_politely() {
    let server = Server::start(&["--max-sessions", "1"]);
    let mut first = server.viewer("xterm", 80, 24, &[]);
    let run = server.ssh(&["-T", HOST]);
    assert_eq!(run.code, Some(1), "{}", run.dump());
    assert!(
        String::from_utf8_lossy(&run.stdout).contains("too many visitors"),
        "{}",
        run.dump()
    );
    server.expect_log("server full", Duration::from_secs(5));
    first.quit();
    let mut run = server.ssh(&["-T", HOST]);
    let start = Instant::now();
    while run.code != Some(0) && start.elapsed() < Duration::from_secs(5) {
        sleep(Duration::from_millis(200));
        run = server.ssh(&["-T", HOST]);
    }
    assert_eq!(run.code, Some(0), "{}\n{}", run.dump(), server.log());
}

#[test]
fn session_time_limit_ends_a_visit_on_time() {
    let server = Server::start(&["--max-session-time", "2"]);
    let start = Instant::now();
    let mut viewer = server.viewer("xterm", 80, 24, &[]);
    // Keep typing, so that the idle timeout plays no part.
    let ended = wait_until(Duration::from_secs(6), || {
        viewer.write(b"j");
        sleep(Duration::from_millis(100));
        viewer.child.try_wait().ok().flatten().is_some()
    });
    let elapsed = start.elapsed();
    assert!(ended, "still connected after {elapsed:?}");
    viewer.wait(Duration::from_secs(1));
    assert!(
        elapsed > Duration::from_millis(1500) && elapsed < Duration::from_secs(4),
        "ended after {elapsed:?}"
    );
    let line = server.expect_log("session time limit", Duration::from_secs(2));
    assert!(line.ends_with("session time limit"), "{line}");
    let text = viewer.text();
    assert!(
        text.contains("session time limit"),
        "ssh says why: {text:?}"
    );
}

#[test]
fn idle_visitors_are_disconnected_but_typing_ones_are_not() {
    let server = Server::start(&["--idle-timeout", "2"]);
    // Client keepalives every second are not input: still idle.
    let mut idle = server.viewer("xterm", 80, 24, &["-o", "ServerAliveInterval=1"]);
    let start = Instant::now();
    let mut typing = server.viewer("xterm", 80, 24, &[]);
    // Four seconds of keys, one every 300 ms: twice the idle timeout.
    while start.elapsed() < Duration::from_secs(4) {
        assert!(typing.write(b"j"), "a typing visitor was disconnected");
        sleep(Duration::from_millis(300));
    }
    assert!(
        typing.child.try_wait().unwrap().is_none(),
        "a typing visitor was disconnected:\n{}",
        server.log()
    );
    let status = idle.wait(Duration::from_secs(1));
    assert!(
        status.is_some(),
        "an idle visitor is still connected after {:?}",
        start.elapsed()
    );
    assert!(idle.text().contains("idle timeout"), "ssh says why");
    // Once the keys stop, the idle timeout runs from the last one.
    let stopped = Instant::now();
    assert!(
        typing.wait(Duration::from_secs(5)).is_some(),
        "still connected {:?} after the last key",
        stopped.elapsed()
    );
    assert!(stopped.elapsed() > Duration::from_millis(1000), "too early");
    server.expect_count(" idle timeout", 2);
}

/// Whether a visitor's client got the sequences that leave the alternate
/// screen and turn the mouse off, after its last frame.
fn given_back(viewer: &Pty) -> bool {
    let text = viewer.text();
    let frame = text.rfind("Publications").unwrap_or(0);
    let rest = &text[frame..];
    rest.contains("\x1b[?1049l") && rest.contains("\x1b[?1000l")
}

#[test]
fn a_visit_ended_by_the_server_gives_the_terminal_back() {
    // Five visitors for each way the server ends a visit.
    let idle = Server::start(&["--idle-timeout", "2"]);
    let limit = Server::start(&["--max-session-time", "2"]);
    let stopping = Server::start(&[]);
    let mut viewers: Vec<(&str, Pty)> = Vec::new();
    for (what, server) in [
        ("idle timeout", &idle),
        ("session time limit", &limit),
        ("server stopping", &stopping),
    ] {
        for _ in 0..5 {
            viewers.push((what, server.viewer("xterm", 80, 24, &[])));
        }
    }
    let t = Tmux::ssh(&idle, &[]);
    t.expect(|s| s.contains("Publications"), "the viewer in tmux");
    t.expect_flag("alternate_on", "1", "on start");
    t.expect_flag("mouse_any_flag", "1", "on start");
    stopping.terminate();
    let mut lost = Vec::new();
    for (what, viewer) in &mut viewers {
        assert!(
            viewer.wait(Duration::from_secs(8)).is_some(),
            "{what}: not disconnected"
        );
        if !given_back(viewer) {
            lost.push(*what);
        }
    }
    assert!(
        lost.is_empty(),
        "{} of {} visitors' terminals were left on the alternate screen: {lost:?}",
        lost.len(),
        viewers.len()
    );
    // What the visitor sees: their terminal as it was, and why; the channel
    // is closed politely (exit status 0), not cut.
    assert_eq!(t.exit_status(Duration::from_secs(8)), 0, "closed politely");
    t.expect_flag("alternate_on", "0", "alternate screen left");
    t.expect_flag("mouse_any_flag", "0", "mouse reporting off");
    t.expect_flag("mouse_sgr_flag", "0", "SGR mouse off");
    t.expect_flag("cursor_flag", "1", "cursor shown");
    t.expect(
        |s| s.contains("termfolio: idle timeout; goodbye."),
        "the goodbye",
    );
}

#[test]
fn raw_tcp_garbage_and_silence_are_dropped() {
    let server = Server::start(&["--max-per-ip", "8"]);
    // Garbage instead of an identification line: dropped at once.
    let mut garbage = TcpStream::connect((HOST, server.port)).unwrap();
    let bytes = XorShift(7).bytes(4096, |_| true);
    let _ = garbage.write_all(&bytes);
    assert!(
        closed_within(&mut garbage, Duration::from_secs(3)),
        "a client sending garbage was kept"
    );
    server.expect_log("handshake failed", Duration::from_secs(2));
    let mut http = TcpStream::connect((HOST, server.port)).unwrap();
    http.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    assert!(closed_within(&mut http, Duration::from_secs(3)));
    assert!(wait_until(Duration::from_secs(2), || server
        .count_log("handshake failed")
        == 2));
    // The log line comes just before the connection's place is given back.
    sleep(Duration::from_millis(200));

    // Eight silent connections: the per-address limit is reached...
    let opened = Instant::now();
    let mut silent: Vec<TcpStream> = (0..8)
        .map(|_| TcpStream::connect((HOST, server.port)).unwrap())
        .collect();
    for s in &mut silent {
        assert!(banner(s).starts_with("SSH-2.0-"), "no server banner");
    }
    let mut ninth = TcpStream::connect((HOST, server.port)).unwrap();
    assert!(
        closed_within(&mut ninth, Duration::from_secs(2)),
        "a ninth connection from one address was kept"
    );
    server.expect_log("refused: connection limit", Duration::from_secs(2));
    // ...but a visitor from another address gets in meanwhile.
    server.assert_card(&["-b", "127.0.0.2"]);
    // And the silent ones are dropped by the 10 s authentication timeout.
    for s in &mut silent {
        let left = Duration::from_secs(13).saturating_sub(opened.elapsed());
        assert!(
            closed_within(s, left),
            "a silent connection is still open after {:?}",
            opened.elapsed()
        );
    }
    assert!(
        opened.elapsed() > Duration::from_secs(8),
        "dropped too early"
    );
    assert!(
        wait_until(Duration::from_secs(2), || server
            .count_log("no SSH handshake")
            == 8),
        "{}",
        server.log()
    );
    server.assert_card(&[]);
}

#[test]
fn silent_connections_from_other_addresses_do_not_crowd_out_visitors() {
    let server = Server::start(&["--max-sessions", "4", "--max-per-ip", "2"]);
    let mut silent = Vec::new();
    for source in [Ipv4Addr::new(127, 0, 0, 2), Ipv4Addr::new(127, 0, 0, 3)] {
        for _ in 0..2 {
            let mut s = tcp_from(source, server.port);
            assert!(banner(&mut s).starts_with("SSH-2.0-"));
            silent.push(s);
        }
    }
    server.assert_card(&[]);
}

// ---------------------------------------------------------------------------
// The host key
// ---------------------------------------------------------------------------

/// The server's public key as `ssh-keyscan` sees it: "ssh-ed25519 AAAA…".
fn scan(server: &Server) -> String {
    let mut cmd = Command::new("ssh-keyscan");
    cmd.args([
        "-T",
        "10",
        "-t",
        "ed25519",
        "-p",
        &server.port.to_string(),
        HOST,
    ]);
    let run = run_within(cmd, None, CLIENT_TIMEOUT);
    let out = String::from_utf8_lossy(&run.stdout);
    let key = out
        .lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| {
            let fields: Vec<&str> = l.split_whitespace().collect();
            (fields.len() >= 3).then(|| format!("{} {}", fields[1], fields[2]))
        })
        .unwrap_or_else(|| panic!("ssh-keyscan found no key:\n{}", run.dump()));
    assert!(key.starts_with("ssh-ed25519 "), "{key}");
    key
}

/// The public half of the private key file `path`, by `ssh-keygen -y`.
fn public_half(path: &Path) -> String {
    let run = run_within(
        {
            let mut c = Command::new("ssh-keygen");
            c.arg("-y").arg("-f").arg(path);
            c
        },
        None,
        CLIENT_TIMEOUT,
    );
    assert_eq!(run.code, Some(0), "{}", run.dump());
    let out = String::from_utf8_lossy(&run.stdout);
    out.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn host_key_is_made_once_with_tight_modes_and_reused() {
    let sandbox = Sandbox::new();
    let key = sandbox.path().join("keys").join("deep").join("key");
    let first = Server::spawn(sandbox.path(), Some(&key), &[]);
    assert_eq!(mode(&key), 0o600, "key file mode");
    assert_eq!(mode(key.parent().unwrap()), 0o700, "key directory mode");
    let contents = fs::read(&key).unwrap();
    let scanned = scan(&first);
    assert_eq!(scanned, public_half(&key), "the served key is the file's");
    drop(first);

    let second = Server::spawn(sandbox.path(), Some(&key), &[]);
    assert_eq!(scan(&second), scanned, "a restart serves the same key");
    assert_eq!(fs::read(&key).unwrap(), contents, "the file is untouched");
    second.assert_card(&[]);
    drop(second);

    // Without --host-key: under XDG_DATA_HOME, made once and reused too.
    let default = sandbox
        .path()
        .join("data")
        .join("termfolio")
        .join("ssh_host_ed25519_key");
    let third = Server::spawn(sandbox.path(), None, &[]);
    assert_eq!(mode(&default), 0o600);
    let scanned = scan(&third);
    assert_eq!(scanned, public_half(&default));
    drop(third);
    let fourth = Server::spawn(sandbox.path(), None, &[]);
    assert_eq!(scan(&fourth), scanned);
}

#[test]
fn a_key_made_by_ssh_keygen_is_served() {
    let sandbox = Sandbox::new();
    let key = sandbox.path().join("key");
    let mut keygen = Command::new("ssh-keygen");
    keygen
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "", "-f"])
        .arg(&key);
    let run = run_within(keygen, None, CLIENT_TIMEOUT);
    assert_eq!(run.code, Some(0), "{}", run.dump());
    let server = Server::spawn(sandbox.path(), Some(&key), &[]);
    assert_eq!(scan(&server), public_half(&key));
}

/// Starts the server in `dir` with the host key at `key`, expects it to stop
/// with exit 1 at once, and returns what it said on stderr.
#[track_caller]
fn refused_to_start(dir: &Path, key: &Path) -> String {
    let run = run_within(
        serve_command(dir, Some(key), &[]),
        None,
        Duration::from_secs(20),
    );
    assert_eq!(run.code, Some(1), "{}", run.dump());
    String::from_utf8_lossy(&run.stderr).into_owned()
}

#[test]
fn loose_or_corrupt_host_keys_stop_the_server() {
    let sandbox = Sandbox::new();
    let key = sandbox.path().join("key");
    let mut keygen = Command::new("ssh-keygen");
    keygen
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&key);
    assert_eq!(run_within(keygen, None, CLIENT_TIMEOUT).code, Some(0));
    let _ = fs::remove_file(sandbox.path().join("key.pub"));

    fs::set_permissions(&key, fs::Permissions::from_mode(0o644)).unwrap();
    let before = fs::read(&key).unwrap();
    let err = refused_to_start(sandbox.path(), &key);
    assert!(err.contains("loose permissions"), "{err}");
    assert!(!err.contains("listening"), "{err}");
    assert_eq!(fs::read(&key).unwrap(), before, "the key was replaced");
    assert_eq!(mode(&key), 0o644, "the mode was changed behind our back");

    let corrupt = b"-----BEGIN OPENSSH PRIVATE KEY-----\nnot really\n".to_vec();
    fs::write(&key, &corrupt).unwrap();
    fs::set_permissions(&key, fs::Permissions::from_mode(0o600)).unwrap();
    let err = refused_to_start(sandbox.path(), &key);
    assert!(err.contains("not a valid OpenSSH private key"), "{err}");
    assert_eq!(
        fs::read(&key).unwrap(),
        corrupt,
        "the corrupt key was replaced"
    );
}

// ---------------------------------------------------------------------------
// Hostile clients
// ---------------------------------------------------------------------------

#[test]
fn a_huge_window_is_clamped() {
    let mut server = Server::start(&[]);
    let mut huge = server.viewer("xterm-256color", 65535, 65535, &[]);
    let (rows, columns) = furthest_cursor(&huge.raw());
    assert!(
        rows <= 1000 && columns <= 1000,
        "drew at row {rows}, column {columns}"
    );
    assert!(server.rss_kb() < RSS_LIMIT_KB, "RSS {} kB", server.rss_kb());
    // Another visitor is served meanwhile, and the huge one still answers.
    server.assert_card(&[]);
    let mark = huge.len();
    huge.write(b"4");
    huge.expect_after(
        mark,
        "Selected Publications",
        Duration::from_secs(20),
        "the huge session to answer",
    );
    huge.quit();
    let peak = server.peak_kb();
    assert!(peak < RSS_LIMIT_KB, "peak RSS {peak} kB");
    server.assert_healthy();
}

#[test]
fn many_huge_windows_do_not_bloat_the_server() {
    let server = Server::start(&[]);
    let viewers: Vec<Pty> = (0..8)
        .map(|_| server.viewer("xterm", 65535, 65535, &[]))
        .collect();
    sleep(Duration::from_millis(500));
    let rss = server.rss_kb();
    assert!(rss < RSS_LIMIT_KB, "8 huge sessions: RSS {rss} kB");
    drop(viewers);
}

#[test]
fn a_resize_flood_leaves_the_server_responsive() {
    let mut server = Server::start(&[]);
    let mut flood = server.viewer("xterm", 100, 30, &[]);
    let mut rng = XorShift(42);
    for i in 0..400u32 {
        let (columns, rows) = match i % 40 {
            0 => (65535, 65535),
            1 => (0, 0),
            2 => (1, 1),
            _ => (
                u16::try_from(rng.next() % 300).unwrap(),
                u16::try_from(rng.next() % 100).unwrap(),
            ),
        };
        flood.resize(columns, rows);
        if i % 4 == 0 {
            sleep(Duration::from_millis(1));
        }
    }
    flood.resize(100, 30);
    // Others are served during the aftermath.
    let start = Instant::now();
    server.assert_card(&[]);
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "the card took {:?}",
        start.elapsed()
    );
    // The flooding session still works.
    sleep(Duration::from_millis(300));
    let mark = flood.len();
    flood.write(b"4");
    flood.expect_after(
        mark,
        "Selected Publications",
        Duration::from_secs(20),
        "the flooded session to answer",
    );
    flood.quit();
    server.assert_healthy();
    let peak = server.peak_kb();
    assert!(peak < RSS_LIMIT_KB, "peak RSS {peak} kB");
}

#[test]
fn a_resize_flood_does_not_starve_other_visitors() {
    let server = Server::start(&[]);
    let flooders: Vec<Pty> = (0..4)
        .map(|_| server.viewer("xterm", 100, 30, &[]))
        .collect();
    let card = std::thread::scope(|scope| {
        for (n, pty) in (0u16..).zip(&flooders) {
            scope.spawn(move || {
                for i in 0..200u16 {
                    if i % 2 == 0 {
                        pty.resize(1000, 1000);
                    } else {
                        pty.resize(20 + i % 50, 10 + n);
                    }
                    sleep(Duration::from_millis(2));
                }
            });
        }
        sleep(Duration::from_millis(200));
        let start = Instant::now();
        server.assert_card(&[]);
        start.elapsed()
    });
    assert!(
        card < Duration::from_secs(2),
        "another visitor's card took {card:?} during the flood"
    );
}

#[test]
fn random_keystrokes_do_not_crash_the_server() {
    let mut server = Server::start(&[]);
    // `-e none`: no ssh escape character, so every byte reaches the server.
    let mut victim = server.viewer("xterm-256color", 100, 30, &["-e", "none"]);
    // Random bytes, printable and control, but no quit keys (q, Ctrl-C).
    let bytes = XorShift(0x5eed).bytes(100 * 1024, |b| {
        b != b'q' && b != 0x03 && (b < 0x80 || b % 7 == 0)
    });
    let mut written = 0;
    for chunk in bytes.chunks(512) {
        if !victim.write(chunk) {
            break;
        }
        written += chunk.len();
    }
    assert_eq!(written, bytes.len(), "the session ended early");
    // Let the server work through them, then check it is still whole.
    sleep(Duration::from_millis(500));
    server.assert_card(&[]);
    // Esc twice (out of any help or detail), Bio, then Publications: the
    // last is a change whatever tab the garbage left open.
    for key in [&b"\x1b"[..], b"\x1b", b"1"] {
        let mark = victim.len();
        victim.write(key);
        assert!(
            victim.wait_for_after(mark, "\x1b[0m", Duration::from_secs(20)),
            "no frame after {key:?}"
        );
    }
    let mark = victim.len();
    victim.write(b"4");
    victim.expect_after(
        mark,
        "Selected Publications",
        Duration::from_secs(20),
        "the session to answer after the garbage",
    );
    victim.quit();
    server.assert_healthy();
    server.assert_no_children();
    let line = server.expect_log(" quit", Duration::from_secs(5));
    let bytes_in: u64 = line
        .split(" in=")
        .nth(1)
        .and_then(|s| s.split('B').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(
        bytes_in >= 100 * 1024,
        "the server saw {bytes_in} bytes: {line}"
    );
}

// ---------------------------------------------------------------------------
// Stopping
// ---------------------------------------------------------------------------

#[test]
fn sigterm_closes_sessions_and_exits_within_two_seconds() {
    let mut server = Server::start(&[]);
    let mut viewer = server.viewer("xterm", 80, 24, &[]);
    let start = Instant::now();
    server.terminate();
    let status = exit_within(&mut server.child, Duration::from_secs(5));
    let elapsed = start.elapsed();
    assert!(status.is_some(), "still running after SIGTERM");
    let status = status.unwrap();
    assert_eq!(
        status.code(),
        Some(0),
        "exit {status:?} signal {:?}",
        status.signal()
    );
    assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");
    let client = viewer.wait(Duration::from_secs(5));
    assert!(client.is_some(), "the visitor was not disconnected");
    assert!(
        viewer.text().contains("server stopping"),
        "the visitor is told why: {:?}",
        viewer.text()
    );
    // The stderr reader may lag a little behind the exit.
    server.expect_log("server stopping", Duration::from_secs(2));
    server.expect_log("stopped", Duration::from_secs(2));
}

// ---------------------------------------------------------------------------
// Lifetimes, backpressure and admission (issue 9)
// ---------------------------------------------------------------------------

/// Flags that take the connection-rate limits out of a test's way (all its
/// clients come from 127.0.0.1, faster than any person reconnects).
const NO_RATE_LIMIT: [&str; 4] = ["--rate-per-ip", "100000", "--burst-per-ip", "100000"];

fn open_fds(pid: u32) -> usize {
    fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, Iterator::count)
}

fn signal(pid: libc::pid_t, sig: libc::c_int) {
    // SAFETY: kill(2) on a child process of ours.
    unsafe { libc::kill(pid, sig) };
}

/// A viewer whose terminal input is a pipe instead of a pseudo-terminal, so
/// that closing it makes `ssh` send the channel's EOF.
fn piped_viewer(server: &Server) -> Child {
    let mut cmd = server.ssh_command(&["-tt", HOST]);
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn ssh");
    let mut out = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut seen = Vec::new();
        let mut buf = [0u8; 16 * 1024];
        while let Ok(n) = out.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
            if String::from_utf8_lossy(&seen).contains("Publications") {
                let _ = tx.send(());
                seen.clear();
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(20))
        .expect("no first frame through a pipe");
    child
}

#[test]
fn visitors_who_leave_without_quitting_free_what_they_held() {
    // Found in issue 9: a visit that ended any way but `q` kept its viewer
    // (about 4.6 MB at 500x200) forever.
    let mut server = Server::start(&NO_RATE_LIMIT);
    let leave_once = |server: &Server, way: usize| match way {
        // ssh dies: the connection drops with no SSH goodbye.
        0 => {
            let mut v = server.viewer("xterm-256color", 500, 200, &[]);
            signal(v.pid(), libc::SIGKILL);
            let _ = v.wait(Duration::from_secs(10));
        }
        // ssh's own disconnect escape.
        1 => {
            let mut v = server.viewer("xterm-256color", 500, 200, &[]);
            assert!(v.write(b"\r~."));
            let _ = v.wait(Duration::from_secs(10));
        }
        // The visitor's input ends: ssh sends the channel's EOF.
        _ => {
            let mut child = piped_viewer(server);
            drop(child.stdin.take());
            if exit_within(&mut child, Duration::from_secs(10)).is_none() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    };
    let mut visits = 0;
    let mut round = |server: &Server, n: usize| {
        for i in 0..n {
            leave_once(server, i % 3);
        }
        visits += n;
        // Every visit has ended on the server's side too.
        server.expect_count(" user=", visits);
    };
    round(&server, 9);
    let (rss, fds) = (server.rss_kb(), open_fds(server.pid));
    round(&server, 60);
    let grown = server.rss_kb().saturating_sub(rss);
    assert!(
        grown < 40 * 1024,
        "60 visits that left without quitting grew the server by {grown} kB"
    );
    assert!(
        open_fds(server.pid) <= fds + 2,
        "file descriptors leak: {fds} before, {} after",
        open_fds(server.pid)
    );
    server.assert_healthy();
    server.assert_card(&[]);
}

#[test]
fn a_copy_flood_from_a_client_that_never_reads_stays_small() {
    // Found in issue 9: every `y` queued a clipboard copy outside the
    // backpressured path, so a client that stops reading made the server
    // hold hundreds of megabytes.
    let mut server = Server::start(&[]);
    let mut flooder = server.viewer("xterm", 80, 24, &[]);
    assert!(flooder.write(b"4"));
    flooder.expect("Selected Publications", Duration::from_secs(10), "the tab");
    flooder.pause_reading();
    let mut keys = flooder.master.try_clone().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = [b'y'; 1024];
        for _ in 0..128 {
            if keys.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    // Another visitor is still served promptly meanwhile.
    let mut other = server.viewer("xterm", 80, 24, &[]);
    let from = other.len();
    assert!(other.write(b"4"));
    other.expect_after(
        from,
        "Selected Publications",
        Duration::from_secs(10),
        "a frame for the other visitor",
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while !writer.is_finished() && Instant::now() < deadline {
        sleep(Duration::from_millis(100));
    }
    sleep(Duration::from_secs(1));
    let peak = server.peak_kb();
    assert!(
        peak < 64 * 1024,
        "the server peaked at {peak} kB under a copy flood"
    );
    drop(flooder);
    other.quit();
    server.assert_healthy();
}

#[test]
fn a_full_server_lets_no_login_linger_and_admits_once_visitors_leave() {
    // The lockout found in issue 9: logins that arrived while the server was
    // full stayed counted, and with nobody inside every login was refused.
    let server = Server::start(&[
        "--max-sessions",
        "4",
        "--max-per-ip",
        "8",
        "--rate-per-ip",
        "1000",
        "--burst-per-ip",
        "1000",
    ]);
    let holders: Vec<Pty> = (0..4)
        .map(|_| server.viewer("xterm", 80, 24, &[]))
        .collect();
    // Four more log in and ask for nothing (`-N`): told the server is full
    // and closed at once, not kept.
    let mut late: Vec<Child> = (0..4)
        .map(|_| {
            server
                .ssh_command(&["-N", HOST])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in &mut late {
        let status = exit_within(child, Duration::from_secs(10));
        assert!(
            status.is_some_and(|s| !s.success()),
            "a login past the limit was kept"
        );
        let mut err = String::new();
        let _ = child.stderr.take().unwrap().read_to_string(&mut err);
        assert!(err.contains("too many visitors"), "not told why: {err}");
    }
    for _ in 0..4 {
        let mut s = tcp_from(Ipv4Addr::new(127, 0, 0, 2), server.port);
        assert!(banner(&mut s).starts_with("SSH-2.0-"));
    }
    for mut h in holders {
        h.quit();
    }
    for _ in 0..3 {
        server.assert_card(&[]);
    }
}

#[test]
fn new_connections_from_one_address_are_rate_limited_and_refill_steadily() {
    let server = Server::start(&["--rate-per-ip", "2", "--burst-per-ip", "5"]);
    let start = Instant::now();
    let mut served = 0;
    let mut held = Vec::new();
    for _ in 0..30 {
        let mut s = TcpStream::connect((HOST, server.port)).unwrap();
        if banner(&mut s).starts_with("SSH-2.0-") {
            served += 1;
            held.push(s);
        }
    }
    let allowed = 5.0 + 2.0 * start.elapsed().as_secs_f64();
    assert!(
        served >= 5 && f64::from(served) <= allowed + 1.0,
        "{served} of 30 quick connections were served (the bucket allows {allowed:.1})"
    );
    drop(held);
    // Another address has a bucket of its own.
    server.assert_card(&["-b", "127.0.0.2"]);
    // Retrying all along never renews a ban: tokens keep coming back.
    let mut got_in = false;
    for _ in 0..20 {
        sleep(Duration::from_millis(100));
        let mut s = TcpStream::connect((HOST, server.port)).unwrap();
        got_in |= banner(&mut s).starts_with("SSH-2.0-");
    }
    assert!(got_in, "two seconds of retries at 10 a second never got in");
    server.expect_log("refused: rate limit", Duration::from_secs(2));
}

#[test]
fn a_flood_of_silent_connections_neither_locks_out_visitors_nor_fills_the_log() {
    let server = Server::start(&[]);
    let before = server.log().lines().count();
    let stop = Arc::new(AtomicBool::new(false));
    let connects = Arc::new(AtomicUsize::new(0));
    let flooders: Vec<_> = (10..26)
        .map(|last| {
            let stop = Arc::clone(&stop);
            let connects = Arc::clone(&connects);
            let port = server.port;
            std::thread::spawn(move || {
                let mut held = std::collections::VecDeque::new();
                while !stop.load(Ordering::Relaxed) {
                    held.push_back(tcp_from(Ipv4Addr::new(127, 0, 0, last), port));
                    if held.len() > 8 {
                        held.pop_front();
                    }
                    connects.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    wait_until(Duration::from_secs(10), || {
        connects.load(Ordering::Relaxed) > 2000
    });
    for _ in 0..5 {
        server.assert_card(&["-b", "127.0.0.50"]);
    }
    stop.store(true, Ordering::Relaxed);
    for f in flooders {
        f.join().unwrap();
    }
    let total = connects.load(Ordering::Relaxed);
    let lines = server.log().lines().count() - before;
    assert!(
        lines < 100,
        "{total} silent connections wrote {lines} log lines:\n{}",
        server.log()
    );
}

#[test]
fn a_host_key_in_a_directory_others_can_write_stops_the_server() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path().join("keys");
    let key = dir.join("key");
    // Made once in a private directory...
    drop(Server::spawn(sandbox.path(), Some(&key), &[]));
    // ...which then becomes writable by everyone.
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o777)).unwrap();
    let err = refused_to_start(sandbox.path(), &key);
    assert!(
        err.contains("writable by others") && err.contains(&dir.display().to_string()),
        "{err}"
    );
    assert!(!err.contains("listening"), "{err}");
}

/// `ssh-audit` (pinned to 3.9 by `.ci/run`) finds nothing wrong with the
/// server but the post-quantum note on curve25519, which we keep for
/// clients older than OpenSSH 9.9.
#[test]
fn ssh_audit_passes() {
    let Some(version) = Command::new("ssh-audit")
        .arg("--help")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    else {
        eprintln!(
            "SKIPPED ssh_audit_passes: ssh-audit is not installed (pip install 'ssh-audit==3.9.*')"
        );
        return;
    };
    assert!(
        version.contains("v3.9"),
        "ssh-audit 3.9 expected:\n{version}"
    );
    let server = Server::start(&[]);
    let mut cmd = Command::new("ssh-audit");
    cmd.args(["-j", "-p", &server.port.to_string(), "-t", "10", HOST]);
    let run = run_within(cmd, None, Duration::from_secs(120));
    let report = String::from_utf8_lossy(&run.stdout).into_owned();
    let findings = audit_findings(&report);
    assert!(
        findings.is_empty(),
        "ssh-audit found:\n{}\n{report}",
        findings.join("\n")
    );
    assert!(
        report.contains("mlkem768x25519-sha256") && report.contains("hmac-sha2-256-etm"),
        "{report}"
    );
    assert!(!report.contains("throttling"), "{report}");
    // OpenSSH's own client still gets in, once the audit's dozen quick
    // connections have let the address's bucket refill a little.
    sleep(Duration::from_secs(1));
    server.assert_card(&[]);
}

/// Every warning and failure in `ssh-audit -j` output, but curve25519's
/// post-quantum note, one per line. The report is read by Python's JSON
/// module (ssh-audit's own interpreter), as no JSON crate is a dependency.
fn audit_findings(report: &str) -> Vec<String> {
    const READ: &str = r#"
import json, sys
report = json.load(sys.stdin)
for section in ("kex", "key", "enc", "mac"):
    for alg in report.get(section, []):
        name = alg.get("algorithm", "?")
        for level in ("fail", "warn"):
            for note in alg.get("notes", {}).get(level, []):
                if name.startswith("curve25519") and "post-quantum" in note:
                    continue
                print(f"{section} {name} {level}: {note}")
for level, recs in (report.get("recommendations") or {}).items():
    print(f"recommendation {level}: {recs}")
for cve in report.get("cves", []):
    print(f"cve: {cve}")
"#;
    let mut cmd = Command::new("python3");
    cmd.args(["-c", READ]);
    let run = run_within(
        cmd,
        Some(report.as_bytes().to_vec()),
        Duration::from_secs(20),
    );
    assert_eq!(run.code, Some(0), "cannot read the report: {}", run.dump());
    String::from_utf8_lossy(&run.stdout)
        .lines()
        .map(String::from)
        .collect()
}

/// Live reload (issue 15): a save of the profile file (by rename, as vim
/// and VS Code save) is served to new visitors within a second; a visitor
/// already in keeps the profile it started with; a save that fails
/// `check` is refused with the error logged, and the old profile stays;
/// SIGHUP reads the file again (and no longer stops the server).
#[test]
fn saves_and_sighup_reload_the_profile_for_new_visitors_only() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path();
    let profile = dir.join("p.toml");
    let write = |name: &str| {
        // Saved as editors save: a new file renamed over the old.
        let tmp = dir.join(".p.toml.swp");
        std::fs::write(
            &tmp,
            format!("[person]\nname = \"{name}\"\n\n[bio]\ntext = \"Bio of {name}.\"\n"),
        )
        .unwrap();
        std::fs::rename(&tmp, &profile).unwrap();
    };
    write("Ada First");
    let key = dir.join("hostkey").join("key");
    let profile_arg = profile.to_str().unwrap().to_string();
    let mut server = Server::spawn(dir, Some(&key), &["--profile", &profile_arg]);
    let card = |server: &Server| server.ssh(&["-T", HOST]).out();
    assert!(card(&server).contains("Ada First"));
    let mut viewer = server.viewer("xterm-256color", 80, 24, &[]);
    viewer.expect(
        "Ada First",
        Duration::from_secs(10),
        "the first visitor's header",
    );

    write("Ada Second");
    server.expect_log(
        "reloaded the profile (the file changed)",
        Duration::from_secs(5),
    );
    assert!(card(&server).contains("Ada Second"), "{}", server.log());
    // The visitor already in still reads the first profile (the words of
    // a redrawn Bio are placed one by one: look for the last one).
    let from = viewer.len();
    assert!(viewer.write(b"3"));
    std::thread::sleep(Duration::from_millis(200));
    assert!(viewer.write(b"1"));
    viewer.expect_after(
        from,
        "First.",
        Duration::from_secs(10),
        "the old bio, redrawn",
    );
    let after = String::from_utf8_lossy(&viewer.raw()[from..]).into_owned();
    assert!(
        !after.contains("Second"),
        "the visitor's profile changed under it"
    );

    // A save with an error is refused; the profile served stays.
    let tmp = dir.join(".p.toml.swp");
    std::fs::write(&tmp, "[person]\nnmae = \"Typo\"\n").unwrap();
    std::fs::rename(&tmp, &profile).unwrap();
    let kept = server.expect_log("kept the profile served", Duration::from_secs(5));
    assert!(kept.contains("unknown key `nmae`"), "{kept}");
    assert!(card(&server).contains("Ada Second"));

    // SIGHUP reads it again (still broken: kept, and the server lives on).
    assert_eq!(
        unsafe { libc::kill(server.pid as libc::pid_t, libc::SIGHUP) },
        0
    );
    server.expect_log("reading it again (SIGHUP) failed", Duration::from_secs(5));
    write("Ada Third");
    server.expect_count("reloaded the profile", 2);
    assert!(card(&server).contains("Ada Third"), "{}", server.log());
    viewer.quit();
    server.assert_healthy();
}

/// The operator's view (issue 15): SIGUSR1 writes the stats line at once
/// (and the server writes one every minute): visitors now, visits since
/// the start, the other connections and why, the peak RSS.
#[test]
fn sigusr1_writes_the_stats_line() {
    let server = Server::start(&[]);
    server.assert_card(&[]);
    server.assert_card(&[]);
    // A connection that says nothing and goes: counted among the others.
    drop(TcpStream::connect((HOST, server.port)).unwrap());
    // Visits only (their user is quoted; the silent one's line says `user=-`).
    server.expect_count(" user=\"", 2);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        unsafe { libc::kill(server.pid as libc::pid_t, libc::SIGUSR1) },
        0
    );
    let line = server.expect_log("stats: ", Duration::from_secs(5));
    assert!(
        line.contains("0 visiting, 0 logging in; 2 visits since the start"),
        "{line}"
    );
    assert!(line.contains("1 other connections ("), "{line}");
    assert!(line.contains("peak RSS ") && line.contains(" kB"), "{line}");
}

// ---------------------------------------------------------------------------
// A lab's directory (`--profiles DIR`)
// ---------------------------------------------------------------------------

/// Saves `DIR/NAME.toml` as editors do (a new file renamed over the old).
fn save_member(lab: &Path, login: &str, text: &str) {
    let tmp = lab.join(format!(".{login}.swp"));
    fs::write(&tmp, text).unwrap();
    fs::rename(&tmp, lab.join(format!("{login}.toml"))).unwrap();
}

fn member_profile(name: &str, position: &str) -> String {
    format!(
        "[person]\nname = \"{name}\"\nposition = \"{position}\"\n\n[bio]\ntext = \"Bio of {name}.\"\n\n\
         [[news]]\ndate = 2025-07-12\ntext = \"News of {name}.\"\n"
    )
}

/// A lab in the sandbox: two good profiles (one CJK), a broken one, and
/// files that must not be served: a name with capitals, a symbolic link
/// out of the directory, a FIFO (reading it would block), a directory.
fn lab_server() -> (Server, PathBuf, Sandbox) {
    let sandbox = Sandbox::new();
    let dir = sandbox.path();
    let lab = dir.join("lab");
    fs::create_dir(&lab).unwrap();
    save_member(&lab, "ada", &member_profile("Ada Lovelace", "Analyst"));
    save_member(
        &lab,
        "zhu.tong",
        &member_profile("朱彤 Tong Zhu", "博士研究生"),
    );
    save_member(
        &lab,
        "bob",
        "[person]\nname = \"Bob\"\nsecret = \"do not show\"\n",
    );
    fs::write(lab.join("Ada.toml"), member_profile("Capital Ada", "x")).unwrap();
    fs::write(dir.join("outside.toml"), member_profile("Eve Outside", "x")).unwrap();
    std::os::unix::fs::symlink(dir.join("outside.toml"), lab.join("eve.toml")).unwrap();
    std::os::unix::fs::symlink(lab.join("ada.toml"), lab.join("ada2.toml")).unwrap();
    let fifo = std::ffi::CString::new(lab.join("fifo.toml").to_str().unwrap()).unwrap();
    // SAFETY: mkfifo(3) on a path we own.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    fs::create_dir(lab.join("sub.toml")).unwrap();
    let key = dir.join("hostkey").join("key");
    let server = Server::spawn(dir, Some(&key), &["--profiles", lab.to_str().unwrap()]);
    (server, lab, sandbox)
}

#[test]
fn a_lab_serves_each_member_by_name_and_the_directory_to_anyone_else() {
    let (mut server, lab, _sandbox) = lab_server();
    let as_user = |user: &str| {
        let run = server.ssh(&["-T", "-l", user, HOST]);
        assert_eq!(run.code, Some(0), "{user}: {}", run.dump());
        run.out()
    };
    let ada = as_user("ada");
    assert!(
        ada.contains("Ada Lovelace") && ada.contains("News of Ada"),
        "{ada}"
    );
    assert!(as_user("zhu.tong").contains("朱彤 Tong Zhu"));
    assert!(
        as_user("ada2").contains("Ada Lovelace"),
        "a link inside the lab is served"
    );
    // Anyone else (and any name that is not a member's) gets the directory.
    for user in [
        "visitor",
        "bob",
        "eve",
        "Ada",
        "fifo",
        "sub",
        "../lab/ada",
        "ada/../ada",
    ] {
        let out = as_user(user);
        assert!(
            out.starts_with("4 profiles here; `ssh NAME@host` shows one:"),
            "{user}: {out}"
        );
        for shown in [
            "ada",
            "Ada Lovelace",
            "zhu.tong",
            "朱彤 Tong Zhu",
            "bob",
            "unavailable",
        ] {
            assert!(out.contains(shown), "{user}: {shown} missing from\n{out}");
        }
        for hidden in ["Eve Outside", "Capital Ada", "secret", "fifo", "sub.toml"] {
            assert!(!out.contains(hidden), "{user}: {hidden} shown in\n{out}");
        }
        assert_no_line_wider(&out, 80, user);
    }
    // Why each file is left out is in the log, once, and the error of the
    // broken profile too (never to a visitor).
    let log = server.log();
    for why in [
        "bob.toml:3:1: error: unknown key `secret`",
        "skipped Ada.toml: NAME.toml names are",
        "skipped eve.toml: a symbolic link out of the profiles directory",
        "skipped fifo.toml: not a regular file",
        "skipped sub.toml: not a regular file",
        "lab: serving 4 profiles from",
    ] {
        assert_eq!(log.matches(why).count(), 1, "{why}:\n{log}");
    }

    // Each profile is read again on its own when it changes.
    save_member(&lab, "ada", &member_profile("Ada King", "Countess"));
    server.expect_log("lab: read again ada", Duration::from_secs(5));
    assert!(as_user("ada").contains("Ada King"));
    // A good profile broken by a save stays as it was; the others are untouched.
    save_member(&lab, "zhu.tong", "[person]\nname = [\n");
    server.expect_log(
        "lab: kept zhu.tong's last good profile",
        Duration::from_secs(5),
    );
    assert!(as_user("zhu.tong").contains("朱彤 Tong Zhu"));
    // A broken one mended comes in; a new one appears; a removed one goes.
    save_member(&lab, "bob", &member_profile("Bob Babbage", "Engineer"));
    save_member(&lab, "carl", &member_profile("Carl Gauss", "Prince"));
    fs::remove_file(lab.join("ada2.toml")).unwrap();
    server.expect_log("lab: read carl", Duration::from_secs(5));
    server.expect_log("lab: ada2 is gone", Duration::from_secs(5));
    assert!(as_user("bob").contains("Bob Babbage"));
    let directory = as_user("visitor");
    assert!(
        directory.contains("Carl Gauss")
            && !directory.contains("ada2")
            && !directory.contains("unavailable"),
        "{directory}"
    );
    // SIGHUP reads them all again.
    signal(libc::pid_t::try_from(server.pid).unwrap(), libc::SIGHUP);
    server.expect_log("lab: read again carl", Duration::from_secs(5));
    assert_eq!(server.count_log("skipped Ada.toml"), 1, "still said once");
    server.assert_healthy();
}

#[test]
fn a_lab_directory_in_tmux_filters_opens_and_comes_back() {
    let (server, _lab, _sandbox) = lab_server();
    let t = Tmux::ssh(&server, &["-l", "visitor"]);
    t.expect(
        |s| s.contains("Lab directory") && s.contains("Ada Lovelace") && s.contains("unavailable"),
        "the directory",
    );
    t.keys(&["/", "z", "h", "u"]);
    t.expect(
        |s| s.contains("People (1 of 4)") && !s.contains("Ada Lovelace"),
        "the filtered directory",
    );
    t.keys(&["Enter", "Enter"]);
    t.expect(
        |s| s.contains("Bio of 朱彤 Tong Zhu.") && s.contains("Esc directory"),
        "zhu.tong's viewer",
    );
    t.keys(&["Escape"]);
    t.expect(
        |s| s.contains("People (1 of 4)"),
        "back in the directory, still filtered",
    );
    t.keys(&["Escape"]);
    t.expect(
        |s| s.contains("Ada Lovelace") && s.contains("People ─"),
        "the whole directory",
    );
    t.keys(&["q"]);
    assert_eq!(t.exit_status(Duration::from_secs(10)), 0, "{}", t.capture());
    t.expect_flag("alternate_on", "0", "alternate screen left");

    // A member's name opens their viewer at once; Esc shows the lab.
    let t = Tmux::ssh(&server, &["-l", "ada"]);
    t.expect(|s| s.contains("Bio of Ada Lovelace."), "ada's viewer");
    t.keys(&["Escape"]);
    t.expect(
        |s| s.contains("Lab directory") && s.contains("▸ Ada Lovelace"),
        "the directory at ada",
    );
    t.keys(&["q"]);
    assert_eq!(t.exit_status(Duration::from_secs(10)), 0, "{}", t.capture());
}
