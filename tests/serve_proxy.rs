//! `termfolio serve --trusted-proxy`: the PROXY protocol (v1 and v2) over
//! the built binary. Headers sent by hand over TCP from trusted and
//! untrusted peers (the log names the address a connection counts as, and
//! the per-address limit follows it); hostile trusted peers (half a header,
//! garbage, 300 of them with RSS and fds read from `/proc`); and a real
//! HAProxy (Debian's `haproxy`) in front of two instances, its config made
//! from `contrib/haproxy.cfg`, with OpenSSH clients from 127.0.0.2 and on.

mod common;

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::os::fd::FromRawFd;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::{BIN, Killed, SSH_OPTIONS, Sandbox, free_port, run_within};

const NAME: &str = "Tongtian Zhu";
/// Where the test checks that HAProxy listens from.
const PROBE: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 9);

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

/// `termfolio serve --listen 127.0.0.1:PORT ARGS` in `dir`, its stderr
/// collected on a thread; killed on drop.
struct Server {
    child: Killed,
    pid: u32,
    port: u16,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn spawn(dir: &Path, listen: &str, args: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", listen, "--host-key"])
            .arg(dir.join("hostkey").join("key"))
            .args(args)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", dir)
            .env("LANG", "C.UTF-8")
            .env("NO_COLOR", "1")
            .current_dir(dir)
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
            child: Killed(child),
            pid,
            port: 0,
            log,
        };
        let started = wait_until(Duration::from_secs(30), || {
            server.log().contains("listening on")
                || server.child.0.try_wait().ok().flatten().is_some()
        });
        let log = server.log();
        assert!(
            started && log.contains("listening on"),
            "the server did not start:\n{log}"
        );
        server.port = log
            .split("listening on ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|a| a.parse::<SocketAddr>().ok())
            .map(|a| a.port())
            .unwrap_or_else(|| panic!("no address in the start line:\n{log}"));
        server
    }

    /// A server on a free port in a sandbox of its own.
    fn start(args: &[&str]) -> (Server, Sandbox) {
        let sandbox = Sandbox::new();
        let server = Server::spawn(sandbox.path(), "127.0.0.1:0", args);
        (server, sandbox)
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits for a log line containing every one of `needles`.
    #[track_caller]
    fn expect_log(&self, needles: &[&str], timeout: Duration) -> String {
        let mut found = None;
        wait_until(timeout, || {
            found = self
                .log()
                .lines()
                .find(|l| needles.iter().all(|n| l.contains(n)))
                .map(String::from);
            found.is_some()
        });
        found.unwrap_or_else(|| panic!("no log line with {needles:?}:\n{}", self.log()))
    }

    /// SIGTERM, then waits for the exit (the log's last summary is written).
    fn stop(&mut self) {
        let pid = libc::pid_t::try_from(self.pid).unwrap();
        // SAFETY: kill(2) on our own child's pid.
        unsafe { libc::kill(pid, libc::SIGTERM) };
        let exited = wait_until(Duration::from_secs(5), || {
            self.child.0.try_wait().ok().flatten().is_some()
        });
        assert!(exited, "the server did not stop:\n{}", self.log());
        // The stderr thread reads the last lines.
        wait_until(Duration::from_secs(2), || self.log().contains("stopped"));
    }

    #[track_caller]
    fn assert_healthy(&mut self) {
        assert!(
            self.child.0.try_wait().ok().flatten().is_none(),
            "the server exited:\n{}",
            self.log()
        );
        assert!(!self.log().contains("panicked"), "{}", self.log());
    }

    fn rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap()
    }

    fn fds(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.pid))
            .unwrap()
            .count()
    }
}

/// A TCP connection to `port` on 127.0.0.1 from `source` (any 127.x address).
fn tcp_from(source: Ipv4Addr, port: u16) -> TcpStream {
    try_tcp_from(source, port).unwrap_or_else(|e| panic!("connect from {source}: {e}"))
}

/// The same, or why not.
fn try_tcp_from(source: Ipv4Addr, port: u16) -> std::io::Result<TcpStream> {
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
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        let stream = TcpStream::from_raw_fd(fd);
        let src = sockaddr(source, 0);
        if libc::bind(fd, (&raw const src).cast(), len) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        let dst = sockaddr(Ipv4Addr::LOCALHOST, port);
        if libc::connect(fd, (&raw const dst).cast(), len) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(stream)
    }
}

fn connect(port: u16) -> TcpStream {
    TcpStream::connect(("127.0.0.1", port)).unwrap()
}

/// What the server sends first within 3 s (its identification line), or "".
fn banner(stream: &mut TcpStream) -> String {
    stream
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    let mut buf = [0u8; 256];
    let n = stream.read(&mut buf).unwrap_or(0);
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

/// Reads until the peer closes; whether it did within `timeout`.
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

fn v1(client: &str, port: u16) -> Vec<u8> {
    format!("PROXY TCP4 {client} 127.0.0.1 {port} 2222\r\n").into_bytes()
}

fn v2(client: Ipv4Addr, port: u16) -> Vec<u8> {
    let mut h = b"\r\n\r\n\0\r\nQUIT\n".to_vec();
    h.extend_from_slice(&[0x21, 0x11, 0, 12]);
    h.extend_from_slice(&client.octets());
    h.extend_from_slice(&[127, 0, 0, 1]);
    h.extend_from_slice(&port.to_be_bytes());
    h.extend_from_slice(&2222u16.to_be_bytes());
    h
}

const V2_LOCAL: &[u8] = b"\r\n\r\n\0\r\nQUIT\n\x20\x00\x00\x00";

/// A connection that sends `header`, then gets the SSH banner, then sends
/// garbage: the server logs the failed handshake under the address the
/// connection counts as.
#[track_caller]
fn handshake_fails_as(server: &Server, header: &[u8], logged_as: &str) {
    let mut s = connect(server.port);
    s.write_all(header).unwrap();
    let got = banner(&mut s);
    assert!(
        got.starts_with("SSH-2.0-termfolio"),
        "no SSH after the header: {got:?}\n{}",
        server.log()
    );
    let _ = s.write_all(b"not ssh at all\r\n\r\n");
    assert!(closed_within(&mut s, Duration::from_secs(5)));
    server.expect_log(
        &[&format!("{logged_as} user=-"), "handshake failed"],
        Duration::from_secs(5),
    );
}

#[test]
fn a_trusted_peers_v1_and_v2_headers_name_the_client() {
    let (server, _sandbox) = Server::start(&["--trusted-proxy", "127.0.0.0/8"]);
    handshake_fails_as(&server, &v1("203.0.113.7", 40001), "203.0.113.7:40001");
    handshake_fails_as(
        &server,
        &v2(Ipv4Addr::new(203, 0, 113, 9), 40002),
        "203.0.113.9:40002",
    );
    let v6 = b"PROXY TCP6 2001:db8::7 ::1 40003 2222\r\n";
    handshake_fails_as(&server, v6, "[2001:db8::7]:40003");
    // What was relayed for the balancer's own checks is never a line of its own.
    for header in [V2_LOCAL, b"PROXY UNKNOWN\r\n"] {
        let mut s = connect(server.port);
        s.write_all(header).unwrap();
        assert!(banner(&mut s).starts_with("SSH-2.0-termfolio"));
    }
    sleep(Duration::from_millis(300));
    assert!(
        !server
            .log()
            .lines()
            .any(|l| l.starts_with("termfolio serve: 127.0.0.1:")),
        "a health check was logged one by one:\n{}",
        server.log()
    );
}

#[test]
fn the_per_address_limit_follows_the_carried_address() {
    let (server, _sandbox) = Server::start(&["--trusted-proxy", "127.0.0.1", "--max-per-ip", "1"]);
    let mut first = connect(server.port);
    first.write_all(&v1("198.51.100.1", 1000)).unwrap();
    assert!(banner(&mut first).starts_with("SSH-2.0-"));
    // The same client again, through the same balancer: refused.
    let mut second = connect(server.port);
    second
        .write_all(&v2(Ipv4Addr::new(198, 51, 100, 1), 1001))
        .unwrap();
    assert!(
        closed_within(&mut second, Duration::from_secs(3)),
        "a second connection of one carried address was kept"
    );
    server.expect_log(
        &[
            "198.51.100.1:1001 (through 127.0.0.1:",
            "refused: connection limit",
        ],
        Duration::from_secs(3),
    );
    // Another client through the same balancer: let in.
    let mut other = connect(server.port);
    other.write_all(&v1("198.51.100.2", 1002)).unwrap();
    assert!(
        banner(&mut other).starts_with("SSH-2.0-"),
        "{}",
        server.log()
    );
    drop(first);
    drop(other);
}

#[test]
fn untrusted_peers_and_servers_without_trusted_proxies_never_read_a_header() {
    // Trusting another network, and trusting nobody.
    for args in [&["--trusted-proxy", "10.0.0.0/8"][..], &[][..]] {
        let (server, _sandbox) = Server::start(args);
        for header in [
            v1("203.0.113.7", 40001),
            v2(Ipv4Addr::new(203, 0, 113, 7), 40001),
        ] {
            let mut s = connect(server.port);
            s.write_all(&header).unwrap();
            s.write_all(b"SSH-2.0-OpenSSH_9.2\r\n").unwrap();
            let _ = banner(&mut s);
            // The header went to SSH as if it were part of the stream: the
            // connection ends without a session, logged under the peer.
            assert!(
                closed_within(&mut s, Duration::from_secs(12)),
                "{args:?}: kept\n{}",
                server.log()
            );
        }
        sleep(Duration::from_millis(300));
        let log = server.log();
        assert!(
            !log.contains("203.0.113.7"),
            "{args:?}: header read:\n{log}"
        );
        assert!(
            log.lines().filter(|l| l.contains("127.0.0.1:")).count() >= 3,
            "{args:?}:\n{log}"
        );
        assert!(!log.contains("user=\""), "{args:?}: a session:\n{log}");
    }
}

#[test]
fn bad_trusted_proxy_values_are_usage_errors() {
    let sandbox = Sandbox::new();
    for (bad, says) in [
        ("10.0.0.0/33", "0 to 32"),
        ("10.1.2.3/8", "did you mean 10.0.0.0/8"),
        ("lb.example", "IPv4 or IPv6 network"),
        ("2001:db8::/200", "0 to 128"),
    ] {
        let run = sandbox.run(&["serve", "--trusted-proxy", bad]);
        assert_eq!(run.code, Some(2), "{bad}: {}", run.dump());
        let err = run.err();
        assert!(
            err.starts_with("error:") && err.contains("--trusted-proxy") && err.contains(says),
            "{bad}: {err}"
        );
    }
}

#[test]
fn hostile_trusted_peers_are_bounded_in_time_and_memory() {
    let (mut server, _sandbox) = Server::start(&[
        "--trusted-proxy",
        "127.0.0.1",
        "--max-sessions",
        "4",
        "--rate-per-ip",
        "1000",
        "--burst-per-ip",
        "1000",
    ]);
    // Half a header, then nothing: closed at the 5 s deadline.
    let opened = Instant::now();
    let mut stalled: Vec<TcpStream> = (0..4)
        .map(|_| {
            let mut s = connect(server.port);
            s.write_all(b"PROXY TCP4 192.0.2.").unwrap();
            s
        })
        .collect();
    // While four headers are pending (--max-sessions), a fifth trusted
    // connection is closed at once...
    sleep(Duration::from_millis(200));
    let mut fifth = connect(server.port);
    assert!(closed_within(&mut fifth, Duration::from_secs(2)));
    server.expect_log(&["too many PROXY headers pending"], Duration::from_secs(2));
    for s in &mut stalled {
        assert!(
            closed_within(s, Duration::from_secs(8)),
            "a stalled header was kept"
        );
    }
    let took = opened.elapsed();
    assert!(
        took >= Duration::from_secs(4) && took < Duration::from_secs(7),
        "stalled headers closed after {took:?}"
    );
    server.expect_log(&["no PROXY header within 5s"], Duration::from_secs(2));
    // ...and once they are gone, headers are read again.
    let mut s = connect(server.port);
    s.write_all(&v1("192.0.2.1", 1)).unwrap();
    assert!(banner(&mut s).starts_with("SSH-2.0-"));
    drop(s);

    // 10 KB of garbage as a header: refused (the server reads 15 bytes of
    // it, or 107 of a v1 line that never ends; see serve::proxy's tests).
    for garbage in [vec![b'x'; 10_240], {
        let mut g = b"PROXY TCP4 ".to_vec();
        g.resize(10_240, b'9');
        g
    }] {
        let mut s = connect(server.port);
        let _ = s.write_all(&garbage);
        assert!(closed_within(&mut s, Duration::from_secs(3)));
    }
    server.expect_log(
        &["bad PROXY header: no PROXY header"],
        Duration::from_secs(2),
    );
    server.expect_log(&["longer than 107 bytes"], Duration::from_secs(2));

    // 300 hostile connections: garbage, half headers cut off, headers then
    // garbage. Nothing stays behind.
    sleep(Duration::from_millis(300));
    let (rss_before, fds_before) = (server.rss_kb(), server.fds());
    for i in 0..300u32 {
        let mut s = connect(server.port);
        let _ = match i % 3 {
            0 => s.write_all(&[0xa5; 10_240]),
            1 => s.write_all(b"\r\n\r\n\0\r\nQUIT\n\x21"),
            _ => s
                .write_all(&v1(&format!("10.{}.{}.1", i / 256, i % 256), 7))
                .and_then(|()| s.write_all(b"garbage\r\n")),
        };
        drop(s);
    }
    let settled = wait_until(Duration::from_secs(10), || server.fds() <= fds_before);
    sleep(Duration::from_millis(300));
    let (rss_after, fds_after) = (server.rss_kb(), server.fds());
    eprintln!(
        "300 hostile trusted connections: VmRSS {rss_before} kB -> {rss_after} kB, fds {fds_before} -> {fds_after}"
    );
    assert!(settled, "fds {fds_before} -> {fds_after}");
    assert!(
        rss_after < rss_before + 20 * 1024,
        "RSS {rss_before} kB -> {rss_after} kB"
    );
    server.assert_healthy();
}

// ---------------------------------------------------------------------------
// A real HAProxy
// ---------------------------------------------------------------------------

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

#[test]
fn haproxy_in_front_of_two_instances_passes_the_real_client_addresses() {
    if !on_path("haproxy") {
        // Straight to stderr, past the test harness's capture, so that a
        // plain `cargo test` shows it.
        let _ = writeln!(
            std::io::stderr(),
            "\n!!!!!!!! SKIPPED haproxy_in_front_of_two_instances_passes_the_real_client_addresses: \
             `haproxy` is not on PATH (Debian: apt-get install haproxy) !!!!!!!!\n"
        );
        return;
    }
    let sandbox = Sandbox::new();
    let args = ["--trusted-proxy", "127.0.0.1", "--max-per-ip", "1"];
    let mut servers = [
        Server::spawn(sandbox.path(), "127.0.0.1:0", &args),
        Server::spawn(sandbox.path(), "127.0.0.1:0", &args),
    ];
    let front = free_port();
    let shipped = std::fs::read_to_string(Path::new(common::ROOT).join("contrib/haproxy.cfg"))
        .expect("contrib/haproxy.cfg");
    for needle in ["bind :2222", "127.0.0.1:2223", "127.0.0.1:2224", "inter 5s"] {
        assert!(
            shipped.contains(needle),
            "contrib/haproxy.cfg has no {needle:?}"
        );
    }
    let config = shipped
        .replace("bind :2222", &format!("bind 127.0.0.1:{front}"))
        .replace("127.0.0.1:2223", &format!("127.0.0.1:{}", servers[0].port))
        .replace("127.0.0.1:2224", &format!("127.0.0.1:{}", servers[1].port))
        // Checks often, so the test sees some.
        .replace("inter 5s", "inter 200ms");
    let cfg = sandbox.write("haproxy.cfg", config);
    let haproxy_log = sandbox.path().join("haproxy.log");
    let _haproxy = Killed(
        Command::new("haproxy")
            .arg("-f")
            .arg(&cfg)
            .arg("-db")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&haproxy_log).unwrap())
            .stderr(std::fs::File::create(sandbox.path().join("haproxy.err")).unwrap())
            .spawn()
            .expect("spawn haproxy"),
    );
    let haproxy_output =
        || std::fs::read_to_string(sandbox.path().join("haproxy.err")).unwrap_or_default();
    assert!(
        // From an address of its own (the servers log it as a client).
        wait_until(Duration::from_secs(10), || try_tcp_from(PROBE, front)
            .is_ok()),
        "haproxy did not listen:\n{}",
        haproxy_output()
    );
    // Let health checks run.
    sleep(Duration::from_secs(1));

    // Visitors with OpenSSH from 127.0.0.2 to 127.0.0.5, two visits each.
    for round in 0..2 {
        for last in 2..=5u8 {
            let source = format!("127.0.0.{last}");
            let mut ssh = Command::new("ssh");
            ssh.env_clear()
                .env("PATH", "/usr/bin:/bin")
                .env("HOME", sandbox.path())
                .env("LANG", "C.UTF-8")
                .args(SSH_OPTIONS)
                .args(["-b", &source, "-p", &front.to_string(), "-T", "127.0.0.1"]);
            let run = run_within(ssh, None, Duration::from_secs(30));
            assert!(
                run.code == Some(0) && run.out().contains(NAME),
                "round {round}, from {source}: no card\n{}\n--- servers ---\n{}\n{}\n--- haproxy ---\n{}",
                run.dump(),
                servers[0].log(),
                servers[1].log(),
                haproxy_output()
            );
        }
    }
    let visits = |s: &Server| {
        s.log()
            .lines()
            .filter(|l| l.contains("card (no pty)"))
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert!(
        wait_until(Duration::from_secs(5), || {
            visits(&servers[0]).len() + visits(&servers[1]).len() == 8
        }),
        "{}\n{}",
        servers[0].log(),
        servers[1].log()
    );
    for s in &servers {
        let v = visits(s);
        assert!(
            !v.is_empty(),
            "no visit landed on one instance:\n{}",
            s.log()
        );
        for line in &v {
            assert!(
                (2..=5).any(|n| line.contains(&format!("serve: 127.0.0.{n}:"))),
                "a visit not under its client's address: {line}"
            );
        }
    }
    for n in 2..=5 {
        let from = format!("serve: 127.0.0.{n}:");
        let seen = servers
            .iter()
            .flat_map(visits)
            .filter(|l| l.contains(&from))
            .count();
        assert_eq!(seen, 2, "visits from 127.0.0.{n}");
    }

    // --max-per-ip 1 on each instance counts the real clients: two silent
    // connections from 127.0.0.2 fill both instances' place for it, a third
    // is refused, and 127.0.0.3 still gets in.
    let mut held: Vec<TcpStream> = (0..2)
        .map(|_| {
            let mut s = tcp_from(Ipv4Addr::new(127, 0, 0, 2), front);
            assert!(banner(&mut s).starts_with("SSH-2.0-termfolio"));
            s
        })
        .collect();
    let mut third = tcp_from(Ipv4Addr::new(127, 0, 0, 2), front);
    assert!(
        closed_within(&mut third, Duration::from_secs(3)),
        "a third connection from 127.0.0.2 was kept"
    );
    assert!(
        wait_until(Duration::from_secs(3), || servers
            .iter()
            .any(
                |s| s.log().contains("refused: connection limit") && s.log().contains("127.0.0.2:")
            )),
        "{}\n{}",
        servers[0].log(),
        servers[1].log()
    );
    let mut other = tcp_from(Ipv4Addr::new(127, 0, 0, 3), front);
    assert!(banner(&mut other).starts_with("SSH-2.0-termfolio"));
    held.push(other);
    drop(held);

    // HAProxy's health checks (PROXY v2 LOCAL, then the SSH banner) passed,
    // and were counted, not logged one by one.
    let said = haproxy_output();
    assert!(
        !said.contains("DOWN"),
        "haproxy took an instance out:\n{said}"
    );
    for s in &mut servers {
        s.assert_healthy();
        s.stop();
        let log = s.log();
        assert!(
            log.contains("health checks"),
            "no health checks counted:\n{log}"
        );
        assert!(
            !log.lines().any(|l| l.contains("serve: 127.0.0.1:")),
            "the balancer's own connections were logged one by one:\n{log}"
        );
    }
}
