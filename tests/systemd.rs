//! termfolio under systemd: the units in `contrib/` (`termfolio serve`'s,
//! and those that keep sshd's pre-login banner current) are checked by
//! systemd's own `systemd-analyze` (Debian's `systemd` package): `verify`
//! must say nothing at all (it exits 0 even for an unknown key, so any
//! message fails the test), and `security --offline` must rate the
//! service's exposure low. Where the tool is missing the test says so and
//! skips; `.ci/run`'s machine has it.

mod common;

use std::process::Command;

use common::{BIN, Killed, ROOT, SSH_OPTIONS, Sandbox, free_port};

/// Whether `tool` runs here; says plainly when it does not.
fn have(tool: &str) -> bool {
    let ok = Command::new(tool).arg("--version").output().is_ok();
    if !ok {
        eprintln!("SKIPPED: `{tool}` is not on PATH (Debian's systemd package has it)");
    }
    ok
}

/// The units, the service's `ExecStart` pointed at the built binary (verify
/// checks that the program exists).
fn units(sb: &Sandbox) -> (String, String) {
    let service = std::fs::read_to_string(format!("{ROOT}/contrib/termfolio-serve.service"))
        .expect("contrib/termfolio-serve.service");
    let service = service.replace("/usr/local/bin/termfolio", BIN);
    let socket = std::fs::read_to_string(format!("{ROOT}/contrib/termfolio-serve.socket"))
        .expect("contrib/termfolio-serve.socket");
    let service_path = sb.write("termfolio-serve.service", service);
    let socket_path = sb.write("termfolio-serve.socket", socket);
    (
        service_path.to_string_lossy().into_owned(),
        socket_path.to_string_lossy().into_owned(),
    )
}

/// `systemd-analyze verify UNITS...` says nothing at all.
#[track_caller]
fn assert_verify_quiet(sb: &Sandbox, units: &[&str]) {
    let mut args = vec!["verify"];
    args.extend_from_slice(units);
    let run = common::run(sb.program("systemd-analyze", &args));
    run.expect_code(0);
    assert_eq!(run.err(), "", "systemd-analyze verify:\n{}", run.dump());
    assert_eq!(run.out(), "", "systemd-analyze verify:\n{}", run.dump());
}

#[test]
fn systemd_analyze_verify_finds_nothing_to_say() {
    if !have("systemd-analyze") {
        return;
    }
    let sb = Sandbox::new();
    let (service, socket) = units(&sb);
    assert_verify_quiet(&sb, &[&socket, &service]);
}

/// The pre-login banner's units (README, "Before the password prompt"),
/// the service's `ExecStart` pointed at `contrib/ssh-banner.sh` (verify
/// checks that the program exists).
fn banner_units(sb: &Sandbox) -> (String, String) {
    let read = |name: &str| {
        std::fs::read_to_string(format!("{ROOT}/contrib/{name}"))
            .unwrap_or_else(|e| panic!("contrib/{name}: {e}"))
    };
    let service = read("termfolio-ssh-banner.service").replace(
        "/usr/local/sbin/termfolio-ssh-banner",
        &format!("{ROOT}/contrib/ssh-banner.sh"),
    );
    let service = sb.write("termfolio-ssh-banner.service", service);
    let path = sb.write(
        "termfolio-ssh-banner.path",
        read("termfolio-ssh-banner.path"),
    );
    (
        service.to_string_lossy().into_owned(),
        path.to_string_lossy().into_owned(),
    )
}

#[test]
fn ssh_banner_units_verify_quietly() {
    if !have("systemd-analyze") {
        return;
    }
    let sb = Sandbox::new();
    let (service, path) = banner_units(&sb);
    assert_verify_quiet(&sb, &[&service, &path]);
    // The path unit starts that service, and watches the profile and the
    // binary README installs.
    let path_unit = std::fs::read_to_string(&path).unwrap();
    for line in [
        "Unit=termfolio-ssh-banner.service",
        "PathChanged=/etc/termfolio/profile.toml",
        "PathChanged=/usr/local/bin/termfolio",
    ] {
        assert!(path_unit.lines().any(|l| l == line), "{line} missing");
    }
}

#[test]
fn the_service_is_rated_low_exposure() {
    if !have("systemd-analyze") {
        return;
    }
    let sb = Sandbox::new();
    let (service, _) = units(&sb);
    let run = common::run(sb.program(
        "systemd-analyze",
        &["security", "--offline=yes", "--no-pager", &service],
    ));
    let out = run.out();
    let level: f64 = out
        .lines()
        .find_map(|l| l.split("Overall exposure level for").nth(1))
        .and_then(|rest| rest.split(':').nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no exposure level:\n{}", run.dump()));
    eprintln!("systemd-analyze security: exposure {level}");
    // systemd calls up to 1.9 "OK" (10 is "UNSAFE").
    assert!(level <= 1.9, "exposure {level}:\n{out}");
}

/// Socket activation as the units set it up, without systemd as PID 1:
/// `systemd-socket-activate` listens, and on the first connection starts
/// `termfolio serve` with the socket as fd 3 (`LISTEN_FDS=1`,
/// `LISTEN_PID`). The visitor gets the card; the server says it took the
/// passed socket and tells the notify socket it is ready (`READY=1`, what
/// `Type=notify` waits for) and, at SIGTERM, that it is stopping.
#[test]
fn socket_activation_serves_the_first_visitor_and_notifies_readiness() {
    if !have("systemd-socket-activate") || Command::new("ssh").arg("-V").output().is_err() {
        eprintln!("SKIPPED: needs systemd-socket-activate and OpenSSH's ssh");
        return;
    }
    use std::io::Read as _;
    use std::os::unix::net::UnixDatagram;
    use std::time::{Duration, Instant};
    let sb = Sandbox::new();
    let dir = sb.path().to_path_buf();
    let notify_path = dir.join("notify.sock");
    let notify = UnixDatagram::bind(&notify_path).unwrap();
    notify
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let key_dir = dir.join("state");
    std::fs::create_dir(&key_dir).unwrap();
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let key = key_dir.join("ssh_host_ed25519_key");
    let mut activate = sb.program(
        "systemd-socket-activate",
        &[
            "-l",
            &listen,
            // It passes on only the variables it is told to.
            "-E",
            "NOTIFY_SOCKET",
            BIN,
            "serve",
            "--host-key",
            key.to_str().unwrap(),
        ],
    );
    activate
        .env("NOTIFY_SOCKET", &notify_path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let mut server = Killed(activate.spawn().expect("systemd-socket-activate"));
    // It listens before termfolio runs: wait for the port.
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(&listen).is_err() {
        assert!(
            Instant::now() < deadline,
            "systemd-socket-activate never listened"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let port_text = port.to_string();
    let mut args = SSH_OPTIONS.to_vec();
    args.extend(["-T", "-p", &port_text, "visitor@127.0.0.1"]);
    let mut ssh = sb.program("ssh", &args);
    ssh.env("HOME", &dir);
    let run = common::run(ssh);
    assert!(
        run.out().contains("Tongtian Zhu"),
        "no card through the passed socket:\n{}",
        run.dump()
    );
    let mut buf = [0u8; 256];
    let n = notify.recv(&mut buf).expect("no READY=1 within 15 s");
    assert!(
        String::from_utf8_lossy(&buf[..n]).contains("READY=1"),
        "{:?}",
        String::from_utf8_lossy(&buf[..n])
    );
    // The log says where the socket came from; SIGTERM says STOPPING=1.
    let pid = server.0.id();
    let pids =
        std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
    // systemd-socket-activate execs the server in its own process.
    assert!(
        pids.trim().is_empty(),
        "expected an exec, not a child: {pids}"
    );
    unsafe_free_kill(pid);
    let n = notify.recv(&mut buf).expect("no STOPPING=1 after SIGTERM");
    assert!(String::from_utf8_lossy(&buf[..n]).contains("STOPPING=1"));
    let _ = server.0.wait();
    let mut log = String::new();
    server
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(log.contains("the socket systemd passed"), "{log}");
    assert!(log.contains("stopped"), "{log}");
}

/// SIGTERM to `pid`, through `kill(1)` (no unsafe code in the tests).
fn unsafe_free_kill(pid: u32) {
    let status = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
}
