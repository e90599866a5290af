//! The login card everywhere an SSH login shows it, against a real OpenSSH
//! server (Debian's `openssh-server`) and OpenSSH's own clients, as README's
//! "Ship it" sets each up:
//!
//! - sshd's pre-login `Banner`, written by `contrib/ssh-banner.sh`
//!   (`banner --ascii --color never --width 80`), shown before
//!   authentication and before the password prompt, hidden by `ssh -q`
//!   and `LogLevel=error`, and followed when the profile changes;
//! - `contrib/bashrc.sh` in the user's `~/.bashrc`: the card at an
//!   interactive login (read through Debian's default `~/.profile`), while
//!   `ssh host cmd`, `scp`, `sftp` and `rsync` stay byte-clean;
//! - the `ForceCommand` wrapper `contrib/termfolio-login.sh`: the card on
//!   interactive logins, commands, `scp`, `sftp` and `rsync` untouched;
//! - `contrib/update-motd.sh` run as `pam_motd` runs `/etc/update-motd.d`
//!   (its own command line, read from `pam_motd.so`), on a copy in a
//!   temporary directory.
//!
//! Interactive logins run `ssh -tt` in a pseudo-terminal of a set size
//! (util-linux's `script`, then `stty cols`): the card fits it, in colour
//! unless the visitor's `TERM` is `dumb` or they send `NO_COLOR`. The
//! banner file and the motd are 80 columns and colourless whatever the
//! environment they are written in.
//!
//! Each test starts its own `sshd -D -e -f CONFIG` as root on a free
//! loopback port, with its own host key and a throwaway user
//! (`useradd --system`, password `*`, a home in the test's sandbox holding
//! an authorized key), and takes both down when it ends, even when it fails
//! (`Drop`): sshd is killed, the user deleted (`userdel`). Nothing under
//! `/etc` changes but the user's lines in passwd, shadow, group and gshadow,
//! added and removed (useradd and userdel leave their usual `-` backups);
//! `/run/sshd`, sshd's privilege-separation directory, is made if missing.
//! The test sshd does not use PAM (the machine's PAM stack would run its
//! own pam_motd and rewrite `/run/motd.dynamic`).
//!
//! Where sshd cannot run (not root, no `sshd`), each test says
//! `SKIPPED tests/sshd.rs ...: why` on stderr and passes, unless
//! `TERMFOLIO_SSHD_REQUIRED` is set (as `.ci/run` sets it), where it fails.

mod common;

use std::io::{Read, Write};
use std::os::unix::fs::{PermissionsExt, chown};
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::{
    BIN, Killed, ROOT, Run, Sandbox, display_width, free_port, path_str, repo_file, run_within,
    sh_quote, strip_sgr,
};

/// No client, server start or script may take longer than this.
const STEP: Duration = Duration::from_secs(20);

/// Set (by `.ci/run`) where the suite must run: a skip is then a failure.
const REQUIRED: &str = "TERMFOLIO_SSHD_REQUIRED";

/// The bundled profile's owner, first on every card.
const NAME: &str = "Tongtian Zhu";

// ---------------------------------------------------------------------------
// Whether sshd can run here
// ---------------------------------------------------------------------------

/// Whether `tool` is on PATH.
fn on_path(tool: &str) -> bool {
    which(tool).is_some()
}

/// `tool` on PATH, as an absolute path.
fn which(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(tool))
        .find(|p| p.is_file())
}

/// OpenSSH's server: on PATH, else where Debian puts it (root's PATH has
/// `/usr/sbin`, a test runner's may not). sshd wants an absolute path.
fn sshd_binary() -> Option<PathBuf> {
    which("sshd").or_else(|| {
        let debian = PathBuf::from("/usr/sbin/sshd");
        debian.is_file().then_some(debian)
    })
}

/// Whether this process runs as root (its effective uid, from `/proc`).
fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("Uid:"))?;
            line.split_whitespace().nth(2).map(|euid| euid == "0")
        })
        .unwrap_or(false)
}

/// Why sshd cannot run here, if it cannot.
fn unavailable() -> Option<String> {
    if !is_root() {
        return Some("not root (sshd logs a user in only as root)".into());
    }
    if sshd_binary().is_none() {
        return Some(
            "no sshd (Debian: apt-get install --no-install-recommends openssh-server)".into(),
        );
    }
    let missing: Vec<&str> = [
        "ssh",
        "scp",
        "sftp",
        "ssh-keygen",
        "useradd",
        "userdel",
        "script",
    ]
    .into_iter()
    .filter(|t| !on_path(t))
    .collect();
    (!missing.is_empty()).then(|| format!("missing {}", missing.join(", ")))
}

/// Says `SKIPPED` and why on the real stderr (past the test harness's
/// capture, so `cargo test` shows it), unless the suite is required here.
fn skip(test: &str, why: &str) {
    assert!(
        std::env::var_os(REQUIRED).is_none(),
        "{test}: {why}, and {REQUIRED} is set: this machine must run it"
    );
    let line = format!("SKIPPED tests/sshd.rs {test}: {why}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// Whether the test can run; says why not when it cannot.
fn can_run(test: &str) -> bool {
    match unavailable() {
        None => true,
        Some(why) => {
            skip(test, &why);
            false
        }
    }
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

/// `n` bytes holding every byte value, in an order no shell would keep.
fn binary_data(n: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..n)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if i < 256 { i as u8 } else { (x >> 24) as u8 }
        })
        .collect()
}

/// Sets `path`'s permission bits.
fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {mode:o} {}: {e}", path.display()));
}

/// Runs `cmd` within [`STEP`], panicking with its output unless it exits 0.
#[track_caller]
fn must(cmd: Command) -> Run {
    let r = run_within(cmd, None, STEP);
    r.expect_code(0);
    r
}

// ---------------------------------------------------------------------------
// The throwaway user
// ---------------------------------------------------------------------------

/// Names of this suite's users start with this, then the test process's
/// pid, `x` and a counter: a user left by a killed run is found and removed.
const USER_PREFIX: &str = "tfsshd";

/// useradd and userdel lock the account files: one at a time here.
static ACCOUNTS: Mutex<()> = Mutex::new(());

/// A user made for one test, with a home of its own and nothing else
/// (`useradd --system`: no subordinate ids, no mail spool; password `*`:
/// not locked, but no password opens it). Removed when dropped.
struct User {
    name: String,
    uid: u32,
    gid: u32,
    home: PathBuf,
}

impl User {
    /// Adds the user, its home at `home` (made, 0700, the user's).
    fn add(home: &Path) -> User {
        static SWEEP: Once = Once::new();
        SWEEP.call_once(remove_users_of_dead_runs);
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "{USER_PREFIX}{}x{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        {
            let _lock = ACCOUNTS.lock().unwrap_or_else(|e| e.into_inner());
            let mut cmd = Command::new("useradd");
            cmd.args(["--system", "--no-create-home", "--user-group"])
                .args(["--home-dir", path_str(home), "--shell", "/bin/bash"])
                .args(["--password", "*", "--comment", "termfolio tests/sshd.rs"])
                .arg(&name);
            must(cmd);
        }
        // Made at once so that a failure below still removes the user.
        let mut user = User {
            name,
            uid: 0,
            gid: 0,
            home: home.to_path_buf(),
        };
        user.uid = user.id("-u");
        user.gid = user.id("-g");
        std::fs::create_dir_all(home.join(".ssh")).expect("make the user's home");
        user.own(home, 0o700);
        user.own(&home.join(".ssh"), 0o700);
        user
    }

    /// `id FLAG NAME` as a number.
    fn id(&self, flag: &str) -> u32 {
        let mut cmd = Command::new("id");
        cmd.args([flag, &self.name]);
        let out = must(cmd).out();
        out.trim()
            .parse()
            .unwrap_or_else(|e| panic!("id {flag} {}: {out:?}: {e}", self.name))
    }

    /// Gives `path` to the user, with `mode`.
    fn own(&self, path: &Path, mode: u32) {
        chown(path, Some(self.uid), Some(self.gid))
            .unwrap_or_else(|e| panic!("chown {}: {e}", path.display()));
        set_mode(path, mode);
    }

    /// Writes `contents` to `rel` in the user's home, the user's, with `mode`.
    fn put(&self, rel: &str, contents: impl AsRef<[u8]>, mode: u32) -> PathBuf {
        let path = self.home.join(rel);
        std::fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        self.own(&path, mode);
        path
    }
}

impl Drop for User {
    fn drop(&mut self) {
        // The user's last session may take a moment to end after its client.
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let status = {
                let _lock = ACCOUNTS.lock().unwrap_or_else(|e| e.into_inner());
                Command::new("userdel")
                    .arg(&self.name)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
            };
            match status {
                Ok(s) if s.success() => return,
                _ if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
                _ => {
                    let _ = writeln!(
                        std::io::stderr(),
                        "tests/sshd.rs: could not remove the user {} (userdel {status:?})",
                        self.name
                    );
                    return;
                }
            }
        }
    }
}

/// Removes the users this suite made in runs that were killed before they
/// could clean up (their pid is gone).
fn remove_users_of_dead_runs() {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    for name in passwd.lines().filter_map(|l| l.split(':').next()) {
        let Some(pid) = name
            .strip_prefix(USER_PREFIX)
            .and_then(|rest| rest.split('x').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            let _lock = ACCOUNTS.lock().unwrap_or_else(|e| e.into_inner());
            let _ = Command::new("userdel").arg(name).status();
        }
    }
}

// ---------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------

/// The pre-login banner's file in a host's sandbox.
const BANNER_FILE: &str = "ssh-banner";

/// The ForceCommand wrapper's copy in a host's sandbox (README installs it
/// as /usr/local/bin/termfolio-login).
const WRAPPER: &str = "termfolio-login";

/// How the test's sshd is set up, beyond what every one has.
#[derive(Default)]
struct Setup<'a> {
    /// `Banner SANDBOX/ssh-banner` ([`BANNER_FILE`]).
    banner: bool,
    /// Password logins too (for the prompt); otherwise keys only.
    passwords: bool,
    /// `Subsystem sftp` (Debian's sftp-server unless given).
    sftp: Option<&'a str>,
    /// The user's logins through `contrib/termfolio-login.sh`, installed
    /// as README says (`ForceCommand` in a `Match User` block), with
    /// `TERMFOLIO` set to the built binary (`SetEnv`) where README has it
    /// in /usr/local/bin.
    force_command: bool,
}

/// sshd's output, gathered as it runs.
type Log = Arc<Mutex<Vec<u8>>>;

/// A running sshd, killed when dropped.
struct Sshd {
    process: Killed,
    log: Log,
}

/// One test's host: its sandbox (keys, config, termfolio, the user's home),
/// its user and its sshd. Dropped in that order reversed: sshd first, then
/// the user, then the files.
struct Host {
    sshd: Sshd,
    user: User,
    port: u16,
    /// termfolio where the user can run it.
    bin: PathBuf,
    sb: Sandbox,
}

impl Host {
    /// A sandbox, keys, the user and termfolio, and sshd set up as `setup` says.
    fn start(setup: &Setup) -> Host {
        let sb = Sandbox::with_timeout(STEP);
        // The user walks through it to its home (whatever the umask).
        set_mode(sb.path(), 0o755);
        let user = User::add(&sb.path().join("home"));
        keygen(&sb, "ssh_host_ed25519_key");
        keygen(&sb, "client_key");
        let key = std::fs::read(sb.path().join("client_key.pub")).expect("client key");
        user.put(".ssh/authorized_keys", key, 0o600);
        let bin = reachable_termfolio(&sb);
        if setup.force_command {
            let wrapper = sb.write(WRAPPER, repo_file("contrib/termfolio-login.sh"));
            set_mode(&wrapper, 0o755);
        }
        std::fs::create_dir_all("/run/sshd").expect("make /run/sshd");
        let (sshd, port) = start_sshd(&sb, &user, &bin, setup);
        let host_key =
            std::fs::read_to_string(sb.path().join("ssh_host_ed25519_key.pub")).expect("host key");
        sb.write("known_hosts", format!("[127.0.0.1]:{port} {host_key}"));
        Host {
            sshd,
            user,
            port,
            bin,
            sb,
        }
    }

    /// What sshd has said so far.
    fn log(&self) -> String {
        String::from_utf8_lossy(&self.sshd.log.lock().unwrap()).into_owned()
    }

    /// The user as a destination.
    fn destination(&self) -> String {
        format!("{}@127.0.0.1", self.user.name)
    }

    /// OpenSSH client options: no user or system config, this host's key
    /// known (so no warning), the test's key only, no prompts, and `LANG`
    /// sent as Debian's `/etc/ssh/ssh_config` sends it. The log level is
    /// the default (INFO), at which the client shows a banner.
    fn options(&self) -> Vec<String> {
        self.options_with(&[])
    }

    /// [`Host::options`] with some changed (`Key=value` for `Key`).
    fn options_with(&self, changes: &[&str]) -> Vec<String> {
        let dir = self.sb.path();
        let mut options = vec!["-F".to_string(), "/dev/null".to_string()];
        for option in [
            format!("IdentityFile={}", path_str(&dir.join("client_key"))),
            "IdentitiesOnly=yes".to_string(),
            "IdentityAgent=none".to_string(),
            format!("UserKnownHostsFile={}", path_str(&dir.join("known_hosts"))),
            "GlobalKnownHostsFile=/dev/null".to_string(),
            "StrictHostKeyChecking=yes".to_string(),
            "BatchMode=yes".to_string(),
            "ConnectTimeout=10".to_string(),
            format!("Port={}", self.port),
            "SendEnv=LANG".to_string(),
            // Not what is tested, and a tenth of a second quicker than
            // OpenSSH 9's default (sntrup761x25519) on every connection.
            "KexAlgorithms=curve25519-sha256".to_string(),
        ] {
            let key = option.split('=').next().unwrap_or_default();
            let changed = changes
                .iter()
                .find(|c| c.split('=').next() == Some(key))
                .map_or(option.clone(), |c| c.to_string());
            options.push("-o".to_string());
            options.push(changed);
        }
        options
    }

    /// `program OPTIONS EXTRA...` in the sandbox (ssh, scp, sftp).
    fn client(&self, program: &str, extra: &[&str]) -> Command {
        let mut cmd = self.sb.program(program, &[]);
        cmd.args(self.options()).args(extra);
        cmd
    }

    /// `ssh OPTIONS FLAGS... user@host REMOTE...`.
    fn ssh(&self, flags: &[&str], remote: &[&str]) -> Command {
        let mut cmd = self.client("ssh", flags);
        cmd.arg(self.destination()).args(remote);
        cmd
    }

    /// Runs `cmd` within [`STEP`], sshd's log in the messages.
    fn run(&self, cmd: Command) -> Run {
        let mut r = run_within(cmd, None, STEP);
        r.what = format!("{}\n--- sshd ---\n{}", r.what, self.log());
        r
    }

    /// `ssh FLAGS host REMOTE` with `input` on stdin.
    fn ssh_with_input(&self, flags: &[&str], remote: &[&str], input: Vec<u8>) -> Run {
        let mut r = run_within(self.ssh(flags, remote), Some(input), STEP);
        r.what = format!("{}\n--- sshd ---\n{}", r.what, self.log());
        r
    }

    /// `ssh -tt FLAGS host REMOTE` in a pseudo-terminal of `size` (columns, rows),
    /// with `env` (TERM, NO_COLOR) in the client's environment.
    fn terminal(
        &self,
        size: (u16, u16),
        env: &[(&str, &str)],
        flags: &[&str],
        remote: &[&str],
    ) -> Terminal {
        let mut words = vec!["ssh".to_string(), "-tt".to_string()];
        words.extend(self.options());
        words.extend(flags.iter().map(|f| f.to_string()));
        words.push(self.destination());
        words.extend(remote.iter().map(|r| r.to_string()));
        let line: Vec<String> = words.iter().map(|w| sh_quote(w)).collect();
        let script = format!(
            "stty cols {} rows {}; exec {}",
            size.0,
            size.1,
            line.join(" ")
        );
        let mut cmd = self.sb.program("script", &["-qec", &script, "/dev/null"]);
        cmd.envs(env.iter().copied());
        Terminal::open(cmd, self.sshd.log.clone())
    }

    /// Installs `contrib/bashrc.sh` in the user's `~/.bashrc` as README
    /// says, after a line that puts termfolio on PATH (it would be in
    /// /usr/local/bin; the tests do not write there) and before one that
    /// leaves a mark (so a test knows bash read the file).
    fn install_bashrc(&self) {
        let bin_dir = self.bin.parent().expect("termfolio's directory");
        let bashrc = format!(
            "PATH={}:\"$PATH\"\n{}: > \"$HOME/.bashrc-was-read\"\n",
            sh_quote(path_str(bin_dir)),
            repo_file("contrib/bashrc.sh")
        );
        self.user.put(".bashrc", bashrc, 0o644);
        self.install_profile();
    }

    /// Debian's default `~/.profile` (from /etc/skel): a login shell reads
    /// `~/.bashrc` through it.
    fn install_profile(&self) {
        let profile = std::fs::read_to_string("/etc/skel/.profile").unwrap_or_else(|_| {
            "if [ -n \"$BASH_VERSION\" ] && [ -f \"$HOME/.bashrc\" ]; then . \"$HOME/.bashrc\"; fi\n"
                .to_string()
        });
        self.user.put(".profile", profile, 0o644);
    }

    /// The card the user's termfolio prints with `banner EXTRA...`, as
    /// the test's own run of the binary gives it (the same bundled profile:
    /// the user has none of its own).
    fn card(&self, extra: &[&str]) -> String {
        let r = run_within(self.sb.command(&[&["banner"], extra].concat()), None, STEP);
        r.success();
        r.out()
    }
}

/// A host set up as `setup` says for `test`, or `None` (said why) where
/// sshd cannot run.
fn host(test: &str, setup: &Setup) -> Option<Host> {
    can_run(test).then(|| Host::start(setup))
}

/// `ssh-keygen` makes an ed25519 key pair `name`, `name.pub` in the sandbox.
fn keygen(sb: &Sandbox, name: &str) {
    let key = sb.path().join(name);
    let mut cmd = sb.program("ssh-keygen", &["-q", "-t", "ed25519", "-N", ""]);
    cmd.args(["-C", "termfolio tests/sshd.rs", "-f"]).arg(&key);
    must(cmd);
}

/// The built termfolio, or a link to it (else a copy) in the sandbox when
/// the user cannot reach it (a checkout in a home of mode 0700).
fn reachable_termfolio(sb: &Sandbox) -> PathBuf {
    let bin = Path::new(BIN);
    let open_to_all = |p: &Path, bits: u32| {
        std::fs::metadata(p).is_ok_and(|m| m.permissions().mode() & bits == bits)
    };
    let reachable = open_to_all(bin, 0o005)
        && bin
            .ancestors()
            .skip(1)
            .all(|dir| dir.as_os_str().is_empty() || open_to_all(dir, 0o001));
    if reachable {
        return bin.to_path_buf();
    }
    let dir = sb.path().join("bin");
    std::fs::create_dir_all(&dir).expect("make bin");
    let copy = dir.join("termfolio");
    if std::fs::hard_link(bin, &copy).is_err() {
        std::fs::copy(bin, &copy).expect("copy termfolio");
    }
    set_mode(&dir, 0o755);
    set_mode(&copy, 0o755);
    copy
}

/// The test's sshd_config.
fn sshd_config(sb: &Sandbox, user: &User, bin: &Path, port: u16, setup: &Setup) -> String {
    let dir = path_str(sb.path());
    let mut config = format!(
        "# tests/sshd.rs: one test's own sshd on a loopback port.\n\
         ListenAddress 127.0.0.1:{port}\n\
         HostKey {dir}/ssh_host_ed25519_key\n\
         PidFile none\n\
         UsePAM no\n\
         AllowUsers {user}\n\
         AuthorizedKeysFile .ssh/authorized_keys\n\
         PasswordAuthentication {passwords}\n\
         KbdInteractiveAuthentication no\n\
         PrintMotd no\n\
         PrintLastLog no\n\
         LoginGraceTime 20\n\
         # Debian's sshd_config accepts LANG and LC_*; NO_COLOR as README says.\n\
         AcceptEnv LANG LC_*\n\
         AcceptEnv NO_COLOR\n\
         Subsystem sftp {sftp}\n",
        user = user.name,
        passwords = if setup.passwords { "yes" } else { "no" },
        sftp = setup.sftp.unwrap_or("/usr/lib/openssh/sftp-server"),
    );
    if setup.banner {
        config.push_str(&format!("Banner {dir}/{BANNER_FILE}\n"));
    }
    if setup.force_command {
        config.push_str(&format!(
            "Match User {}\n    SetEnv TERMFOLIO={}\n    ForceCommand {dir}/{WRAPPER}\n",
            user.name,
            path_str(bin)
        ));
    }
    config
}

/// Starts sshd for `user` on a free port (another, should the port be
/// taken meanwhile); returns it and its port once it listens.
fn start_sshd(sb: &Sandbox, user: &User, bin: &Path, setup: &Setup) -> (Sshd, u16) {
    let sshd = sshd_binary().expect("sshd");
    for _ in 0..5 {
        let port = free_port();
        let config = sb.write("sshd_config", sshd_config(sb, user, bin, port, setup));
        let mut cmd = sb.program(path_str(&sshd), &["-D", "-e", "-f", path_str(&config)]);
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("start sshd");
        let log = gather(child.stderr.take().expect("sshd's stderr"));
        let mut server = Sshd {
            process: Killed(child),
            log,
        };
        let listening = format!("Server listening on 127.0.0.1 port {port}.");
        match wait_for_log(&mut server, &listening) {
            Ok(()) => return (server, port),
            Err(log) if log.contains("Address already in use") => continue,
            Err(log) => panic!("sshd did not start:\n{log}"),
        }
    }
    panic!("sshd found no free port in five tries");
}

/// Reads `stream` to its end in a thread, into the returned buffer.
fn gather(mut stream: impl Read + Send + 'static) -> Log {
    let log: Log = Arc::default();
    let into = log.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stream.read(&mut buf) {
            if n == 0 {
                break;
            }
            into.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    log
}

/// Waits until sshd's log holds `needle`; the log when it exits or takes
/// longer than [`STEP`].
fn wait_for_log(server: &mut Sshd, needle: &str) -> Result<(), String> {
    let deadline = Instant::now() + STEP;
    loop {
        let log = String::from_utf8_lossy(&server.log.lock().unwrap()).into_owned();
        if log.contains(needle) {
            return Ok(());
        }
        let exited = server.process.0.try_wait().ok().flatten().is_some();
        if exited || Instant::now() >= deadline {
            // What it said last may still be on its way.
            std::thread::sleep(Duration::from_millis(50));
            return Err(String::from_utf8_lossy(&server.log.lock().unwrap()).into_owned());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

// ---------------------------------------------------------------------------
// A client in a pseudo-terminal
// ---------------------------------------------------------------------------

/// A client running in a pseudo-terminal (`script`), its screen read as it
/// runs and typed into like a person would: killed if dropped early.
struct Terminal {
    child: Killed,
    keyboard: Option<ChildStdin>,
    screen: Log,
    reader: Option<JoinHandle<()>>,
    sshd_log: Log,
}

impl Terminal {
    fn open(mut cmd: Command, sshd_log: Log) -> Terminal {
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("start script");
        let keyboard = child.stdin.take();
        let screen: Log = Arc::default();
        let into = screen.clone();
        let mut out = child.stdout.take().expect("script's stdout");
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = out.read(&mut buf) {
                if n == 0 {
                    break;
                }
                into.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        // script's own complaints go with the screen's.
        let err = child.stderr.take().expect("script's stderr");
        let _ = gather(err);
        Terminal {
            child: Killed(child),
            keyboard,
            screen,
            reader: Some(reader),
            sshd_log,
        }
    }

    /// What the terminal showed so far, its `\r\n` as `\n`.
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.screen.lock().unwrap()).replace("\r\n", "\n")
    }

    /// Waits until the screen shows `needle`; panics (with the screen and
    /// sshd's log) after [`STEP`] or when the client ends without it.
    #[track_caller]
    fn wait_for(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + STEP;
        loop {
            let text = self.text();
            if text.contains(needle) {
                return text;
            }
            let ended = self.child.0.try_wait().ok().flatten();
            if ended.is_some() || Instant::now() >= deadline {
                std::thread::sleep(Duration::from_millis(50));
                panic!(
                    "the terminal never showed {needle:?} ({}):\n{}\n--- sshd ---\n{}",
                    ended.map_or("still running".to_string(), |s| s.to_string()),
                    self.text(),
                    String::from_utf8_lossy(&self.sshd_log.lock().unwrap())
                );
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Types `line` and Enter.
    fn type_line(&mut self, line: &str) {
        let keyboard = self.keyboard.as_mut().expect("the keyboard");
        keyboard
            .write_all(format!("{line}\n").as_bytes())
            .expect("type into the terminal");
        keyboard.flush().expect("type into the terminal");
    }

    /// Waits (within [`STEP`]) for the client to end; everything it showed.
    /// The keyboard stays connected until then (script turns its end into
    /// a character typed into the terminal).
    fn close(mut self) -> String {
        common::wait_within(&mut self.child.0, "ssh -tt in script", STEP);
        self.keyboard = None;
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        self.text()
    }
}

/// The part of a login's screen up to the end of the card (the line that
/// holds `last`, the plain text of the card's last line).
fn through_card<'a>(raw: &'a str, last: &str) -> &'a str {
    let at = raw
        .find(last)
        .unwrap_or_else(|| panic!("no {last:?} on the screen:\n{raw}"));
    let end = raw[at..].find('\n').map_or(raw.len(), |i| at + i + 1);
    &raw[..end]
}

/// `screen`'s card is `card` (the plain card the binary prints at that
/// width), in colour or not as `colour` says, before anything else.
#[track_caller]
fn assert_login_card(screen: &str, card: &str, colour: bool, ctx: &str) {
    let last = card.lines().last().expect("a card");
    let shown = through_card(screen, last);
    assert!(
        strip_sgr(shown).ends_with(card),
        "{ctx}: the card is not the {}-column card:\n{shown}\n--- want ---\n{card}",
        card.lines().map(display_width).max().unwrap_or(0)
    );
    assert_eq!(
        shown.contains("\x1b["),
        colour,
        "{ctx}: colour {}expected:\n{shown:?}",
        if colour { "" } else { "not " }
    );
}

// ---------------------------------------------------------------------------
// 1. The pre-login banner
// ---------------------------------------------------------------------------

/// Runs `contrib/ssh-banner.sh FILE` as README installs it (as root, with
/// `TERMFOLIO` pointing at the built binary instead of /usr/local/bin) in
/// `env`; its run.
fn write_banner(host: &Host, file: &Path, env: &[(&str, &str)]) -> Run {
    let script = Path::new(ROOT).join("contrib/ssh-banner.sh");
    let mut cmd = host.sb.program("sh", &[path_str(&script), path_str(file)]);
    cmd.env("TERMFOLIO", &host.bin).envs(env.iter().copied());
    host.run(cmd)
}

/// A host whose sshd sends `ssh-banner` (in its sandbox, written by the
/// test) before authentication, with password logins on when `passwords`;
/// `None` (said why) where sshd cannot run.
fn banner_host(test: &str, passwords: bool) -> Option<(Host, PathBuf)> {
    let setup = Setup {
        banner: true,
        passwords,
        ..Setup::default()
    };
    let host = host(test, &setup)?;
    let file = host.sb.path().join(BANNER_FILE);
    Some((host, file))
}

/// The banner file's form: the card at 80 columns at most, no escape, ASCII
/// decorations, the owner's name first.
#[track_caller]
fn assert_banner_form(banner: &str, ctx: &str) {
    assert!(banner.starts_with(NAME), "{ctx}: the name first:\n{banner}");
    assert!(!banner.contains('\x1b'), "{ctx}: an escape:\n{banner:?}");
    common::assert_no_line_wider(banner, 80, ctx);
    assert!(
        banner.lines().any(|l| display_width(l) > 70),
        "{ctx}: the card uses the 80 columns:\n{banner}"
    );
    assert!(
        banner.contains("------") && !banner.contains(['─', '·', '“', '…']),
        "{ctx}: ASCII decorations:\n{banner}"
    );
}

#[test]
fn pre_login_banner_shows_the_card_before_authentication() {
    let Some((host, file)) = banner_host(
        "pre_login_banner_shows_the_card_before_authentication",
        false,
    ) else {
        return;
    };
    // Written in an environment that asks for colour and 200 columns: the
    // file is the 80-column plain card all the same.
    write_banner(&host, &file, &[("CLICOLOR_FORCE", "1"), ("COLUMNS", "200")]).success();
    let banner = std::fs::read_to_string(&file).expect("the banner file");
    assert_eq!(
        banner,
        host.card(&["--ascii", "--color", "never", "--width", "80"]),
        "README's form"
    );
    assert_banner_form(&banner, "the banner file");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644, "the banner file's mode");

    // The client shows it as it is, on stderr; stdout is the command's.
    let r = host.run(host.ssh(&[], &["true"]));
    r.expect_code(0);
    assert!(r.stdout.is_empty(), "{}", r.dump());
    assert_eq!(r.err(), banner, "ssh host true: the banner\n{}", r.what);

    // A client in the C locale shows the very same bytes (it escapes
    // anything that is not ASCII).
    let mut cmd = host.ssh(&[], &["true"]);
    cmd.env("LC_ALL", "C");
    let r = host.run(cmd);
    assert_eq!(r.err(), banner, "LC_ALL=C ssh host true\n{}", r.what);

    // scp and sftp show it too (on stderr, unless -q): never in what
    // they copy.
    let data = binary_data(50_000);
    let local = host.sb.write("copied.bin", &data);
    host.user.put("remote.bin", &data, 0o644);
    let mut cmd = host.client("scp", &[]);
    cmd.arg(&local)
        .arg(format!("{}:up.bin", host.destination()));
    let r = host.run(cmd);
    r.expect_code(0);
    assert_eq!(r.err(), banner, "scp shows the banner\n{}", r.what);
    assert!(std::fs::read(host.user.home.join("up.bin")).unwrap() == data);
    let down = host.sb.path().join("down.bin");
    let mut cmd = host.client("sftp", &[]);
    cmd.arg(format!("{}:remote.bin", host.destination()))
        .arg(&down);
    let r = host.run(cmd);
    r.expect_code(0);
    assert!(
        r.err().starts_with(&banner),
        "sftp shows the banner\n{}",
        r.dump()
    );
    assert!(std::fs::read(&down).unwrap() == data);

    // Before authentication: a key sshd does not know sees the card, then
    // is refused.
    keygen(&host.sb, "stranger_key");
    let stranger = format!(
        "IdentityFile={}",
        path_str(&host.sb.path().join("stranger_key"))
    );
    let mut cmd = host.sb.program("ssh", &[]);
    cmd.args(host.options_with(&[&stranger]))
        .arg(host.destination())
        .arg("true");
    let r = host.run(cmd);
    r.expect_code(255);
    let err = r.err();
    assert!(err.starts_with(&banner), "the card first:\n{err}");
    assert!(err.contains("Permission denied"), "then refused:\n{err}");
}

#[test]
fn a_unicode_banner_reaches_a_c_locale_client_as_octal_escapes() {
    // Why README's form has --ascii: the card as a UTF-8 terminal gets it,
    // shown by a client outside a UTF-8 locale.
    let Some((host, file)) = banner_host(
        "a_unicode_banner_reaches_a_c_locale_client_as_octal_escapes",
        false,
    ) else {
        return;
    };
    std::fs::write(&file, host.card(&["--color", "never", "--width", "80"])).unwrap();
    let mut cmd = host.ssh(&[], &["true"]);
    cmd.env("LC_ALL", "C");
    let r = host.run(cmd);
    r.expect_code(0);
    // `─` (U+2500) is the bytes e2 94 80.
    assert!(
        r.err().contains(r"\342\224\200"),
        "the rule's bytes as octal escapes:\n{}",
        r.err()
    );
}

#[test]
fn quiet_clients_do_not_show_the_banner() {
    let Some((host, file)) = banner_host("quiet_clients_do_not_show_the_banner", false) else {
        return;
    };
    write_banner(&host, &file, &[]).success();
    let r = host.run(host.ssh(&[], &["true"]));
    assert!(
        r.err().starts_with(NAME),
        "calibration: shown:\n{}",
        r.dump()
    );
    for flags in [
        &["-q"][..],
        &["-o", "LogLevel=error"],
        &["-o", "LogLevel=quiet"],
    ] {
        let r = host.run(host.ssh(flags, &["true"]));
        r.expect_code(0);
        assert!(
            r.stdout.is_empty() && r.stderr.is_empty(),
            "ssh {flags:?}: the banner must be hidden\n{}",
            r.dump()
        );
    }
}

#[test]
fn pre_login_banner_comes_before_the_password_prompt() {
    let Some((host, file)) = banner_host("pre_login_banner_comes_before_the_password_prompt", true)
    else {
        return;
    };
    write_banner(&host, &file, &[]).success();
    let banner = std::fs::read_to_string(&file).unwrap();
    // The prompt goes to an askpass program that says what it was asked
    // on the client's stderr and answers wrong.
    let askpass = host.sb.write(
        "askpass",
        "#!/bin/sh\nprintf 'ASKPASS-PROMPT: %s\\n' \"$1\" >&2\necho not-the-password\n",
    );
    set_mode(&askpass, 0o755);
    let mut cmd = host.sb.program("ssh", &[]);
    cmd.args(host.options_with(&["BatchMode=no"]))
        .args(["-o", "PreferredAuthentications=password"])
        .args(["-o", "NumberOfPasswordPrompts=1"])
        .arg(host.destination())
        .arg("true")
        .env("SSH_ASKPASS", &askpass)
        .env("SSH_ASKPASS_REQUIRE", "force")
        .env_remove("DISPLAY");
    let r = host.run(cmd);
    r.expect_code(255);
    let err = r.err();
    let prompt = err
        .find("ASKPASS-PROMPT: ")
        .unwrap_or_else(|| panic!("no password prompt:\n{}", r.dump()));
    assert!(
        err[prompt..].contains("password:"),
        "a password prompt:\n{err}"
    );
    assert_eq!(&err[..prompt], banner, "the card, then the prompt:\n{err}");
}

#[test]
fn pre_login_banner_follows_the_profile_without_restarting_sshd() {
    let Some((host, file)) = banner_host(
        "pre_login_banner_follows_the_profile_without_restarting_sshd",
        false,
    ) else {
        return;
    };
    write_banner(&host, &file, &[]).success();
    let first = std::fs::read_to_string(&file).unwrap();
    assert_eq!(host.run(host.ssh(&[], &["true"])).err(), first);

    // A new profile: the script writes its card; the next visitor sees it.
    let profile = format!("{ROOT}/tests/fixtures/banner_punctuation.toml");
    write_banner(&host, &file, &[("TERMFOLIO_PROFILE", &profile)]).success();
    let second = std::fs::read_to_string(&file).unwrap();
    assert!(second.starts_with("José O'Núñez"), "{second}");
    assert_eq!(host.run(host.ssh(&[], &["true"])).err(), second);

    // A profile that does not load: an error, exit 1, and the card sshd
    // sends stays whole; no half-written file is left beside it.
    let broken = host.sb.write("broken.toml", "[person]\nnmae = \"typo\"\n");
    let r = write_banner(&host, &file, &[("TERMFOLIO_PROFILE", path_str(&broken))]);
    r.expect_code(1);
    assert!(r.err().starts_with("error:"), "{}", r.dump());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), second);
    let leftovers: Vec<_> = std::fs::read_dir(host.sb.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!("{BANNER_FILE}.")))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
    assert_eq!(host.run(host.ssh(&[], &["true"])).err(), second);
}

#[test]
fn readme_banner_line_takes_effect_in_the_machines_sshd_config() {
    // README's drop-in, in a copy of the machine's own sshd_config (Debian's
    // reads sshd_config.d/*.conf first): `sshd -T` says the banner is on.
    if !can_run("readme_banner_line_takes_effect_in_the_machines_sshd_config") {
        return;
    }
    let Ok(config) = std::fs::read_to_string("/etc/ssh/sshd_config") else {
        skip(
            "readme_banner_line_takes_effect_in_the_machines_sshd_config",
            "no /etc/ssh/sshd_config",
        );
        return;
    };
    let readme = repo_file("README.md");
    let (setting, file) = readme
        .lines()
        .filter_map(|l| l.strip_prefix("echo '")?.split_once("' | sudo tee "))
        .find(|(setting, _)| setting.starts_with("Banner "))
        .expect("README's `echo 'Banner ...' | sudo tee FILE` line");
    let drop_in = Path::new(file);
    let dir = drop_in.parent().expect("a directory");
    let sb = Sandbox::with_timeout(STEP);
    let local_dir = sb.path().join("sshd_config.d");
    std::fs::create_dir_all(&local_dir).unwrap();
    std::fs::write(
        local_dir.join(drop_in.file_name().unwrap()),
        format!("{setting}\n"),
    )
    .unwrap();
    let include = format!("Include {}/*.conf", dir.display());
    assert!(
        config.lines().any(|l| l.trim() == include),
        "the machine's sshd_config does not have `{include}`"
    );
    let copy = sb.write(
        "sshd_config",
        config.replace(
            &include,
            &format!("Include {}/*.conf", path_str(&local_dir)),
        ),
    );
    let sshd = sshd_binary().expect("sshd");
    let mut cmd = sb.program(path_str(&sshd), &["-T", "-f", path_str(&copy)]);
    cmd.env_remove("LANG");
    let r = must(cmd);
    let want = setting.to_ascii_lowercase();
    assert!(
        r.out().lines().any(|l| l.to_ascii_lowercase() == want),
        "sshd -T does not say `{want}`:\n{}",
        r.out()
    );
}

// ---------------------------------------------------------------------------
// 2. ~/.bashrc
// ---------------------------------------------------------------------------

/// An interactive login in a `size` terminal with `env` and client
/// `flags`: what it showed once the card's last line (`last`) was on the
/// screen and the shell was told to exit.
fn login(
    host: &Host,
    size: (u16, u16),
    env: &[(&str, &str)],
    flags: &[&str],
    last: &str,
) -> String {
    let mut terminal = host.terminal(size, env, flags, &[]);
    terminal.wait_for(last);
    terminal.type_line("exit");
    terminal.close()
}

/// Logs in at each terminal width and checks the card: the plain card at
/// that width (at most 100), in colour (TERM=xterm-256color).
fn assert_cards_fit_the_terminal(host: &Host, ctx: &str) {
    std::thread::scope(|s| {
        for (columns, width) in [(57u16, 57usize), (132, 100), (30, 30)] {
            s.spawn(move || {
                let card = host.card(&["--width", &width.to_string(), "--color", "never"]);
                let last = card.lines().last().unwrap().to_string();
                let screen = login(host, (columns, 24), &[], &[], &last);
                assert_login_card(&screen, &card, true, &format!("{ctx}, {columns} columns"));
            });
        }
    });
}

/// Logs in with a dumb terminal, then with NO_COLOR sent: no colour.
fn assert_no_colour_where_the_terminal_says_so(host: &Host, ctx: &str) {
    let card = host.card(&["--width", "80", "--color", "never"]);
    let last = card.lines().last().unwrap().to_string();
    std::thread::scope(|s| {
        for (env, flags) in [
            (&[("TERM", "dumb")][..], &[][..]),
            (&[("NO_COLOR", "1")], &["-o", "SendEnv=NO_COLOR"]),
        ] {
            let (card, last) = (&card, &last);
            s.spawn(move || {
                let screen = login(host, (80, 24), env, flags, last);
                assert_login_card(&screen, card, false, &format!("{ctx}, {env:?}"));
            });
        }
    });
}

#[test]
fn bashrc_shows_the_card_at_login_fitting_the_terminal() {
    let Some(host) = host(
        "bashrc_shows_the_card_at_login_fitting_the_terminal",
        &Setup::default(),
    ) else {
        return;
    };
    host.install_bashrc();
    assert_cards_fit_the_terminal(&host, "~/.bashrc");
}

#[test]
fn bashrc_card_has_no_colour_on_a_dumb_terminal_or_with_no_color() {
    let Some(host) = host(
        "bashrc_card_has_no_colour_on_a_dumb_terminal_or_with_no_color",
        &Setup::default(),
    ) else {
        return;
    };
    host.install_bashrc();
    assert_no_colour_where_the_terminal_says_so(&host, "~/.bashrc");
}

#[test]
fn bashrc_is_silenced_by_hushlogin() {
    let Some(host) = host("bashrc_is_silenced_by_hushlogin", &Setup::default()) else {
        return;
    };
    host.install_bashrc();
    host.user.put(".hushlogin", "", 0o644);
    let mut terminal = host.terminal((80, 24), &[], &[], &[]);
    terminal.type_line("echo shell-$((6*7))");
    terminal.wait_for("shell-42");
    terminal.type_line("exit");
    let screen = terminal.close();
    assert!(!screen.contains(NAME), "~/.hushlogin: no card:\n{screen}");
}

#[test]
fn bashrc_keeps_commands_scp_sftp_and_rsync_byte_clean() {
    let Some(host) = host(
        "bashrc_keeps_commands_scp_sftp_and_rsync_byte_clean",
        &Setup::default(),
    ) else {
        return;
    };
    host.install_bashrc();
    let r = host.run(host.ssh(&[], &["true"]));
    r.silent();
    // Calibration: Debian's bash reads ~/.bashrc for sshd's commands, so
    // the snippet did run and chose to stay silent.
    assert!(
        host.user.home.join(".bashrc-was-read").exists(),
        "bash did not read ~/.bashrc for `ssh host true`"
    );
    assert_commands_untouched(&host, "~/.bashrc");
    assert_copies_are_clean(&host, Copies::All, "~/.bashrc");
}

/// `ssh host CMD`: its output and exit status exactly, binary stdin and
/// stdout untouched, and no card even with a terminal (`ssh -tt host CMD`).
fn assert_commands_untouched(host: &Host, ctx: &str) {
    let r = host.run(host.ssh(&[], &["printf", "cmd-ok"]));
    r.success();
    assert_eq!(r.stdout, b"cmd-ok", "{ctx}: ssh host printf");
    let r = host.run(host.ssh(&[], &["exit 7"]));
    r.expect_code(7);
    assert!(r.stdout.is_empty() && r.stderr.is_empty(), "{}", r.dump());
    let data = binary_data(300_000);
    let r = host.ssh_with_input(&[], &["cat"], data.clone());
    r.success();
    assert!(
        r.stdout == data,
        "{ctx}: cat through ssh changed the stream ({} bytes in, {} out)",
        data.len(),
        r.stdout.len()
    );
    let terminal = host.terminal(
        (80, 24),
        &[],
        &["-o", "LogLevel=error"],
        &["echo", "cmd-ok"],
    );
    let screen = terminal.close();
    assert_eq!(screen, "cmd-ok\n", "{ctx}: ssh -tt host echo cmd-ok");
}

/// Which copies [`assert_copies_are_clean`] makes.
#[derive(Clone, Copy, PartialEq)]
enum Copies {
    /// Those over the SFTP subsystem: scp (OpenSSH's default) and sftp.
    Sftp,
    /// Those too, and those that run a command: `scp -O` (the old
    /// protocol) and rsync (where installed).
    All,
}

/// scp, sftp and rsync (as `which` says) copy 200 kB of every byte value
/// both ways, unchanged, and say nothing; all at once.
fn assert_copies_are_clean(host: &Host, which: Copies, ctx: &str) {
    let data = binary_data(200_000);
    let local = host.sb.write("local.bin", &data);
    host.user.put("remote.bin", &data, 0o644);
    let copy = Copy {
        host,
        local: &local,
        data: &data,
        ctx,
    };
    std::thread::scope(|s| {
        s.spawn(|| copy.scp(&["-q"], "scp"));
        s.spawn(|| copy.sftp());
        if which == Copies::All {
            s.spawn(|| copy.scp(&["-q", "-O"], "scp-O"));
            s.spawn(|| copy.rsync());
        }
    });
}

/// What the copies of [`assert_copies_are_clean`] share: the host, the
/// local file and its bytes (`remote.bin` in the user's home holds them too).
struct Copy<'a> {
    host: &'a Host,
    local: &'a Path,
    data: &'a [u8],
    ctx: &'a str,
}

impl Copy<'_> {
    /// `name` in the user's home, as a client names it.
    fn remote(&self, name: &str) -> String {
        format!("{}:{name}", self.host.destination())
    }

    /// `path` holds the bytes copied.
    fn check(&self, what: &str, path: &Path) {
        let ctx = self.ctx;
        let got = std::fs::read(path).unwrap_or_else(|e| panic!("{ctx}: {what}: {e}"));
        assert!(
            got == self.data,
            "{ctx}: {what} changed the file ({} bytes)",
            got.len()
        );
    }

    /// `scp FLAGS` up and down.
    fn scp(&self, flags: &[&str], name: &str) {
        let up = format!("up-{name}.bin");
        let mut cmd = self.host.client("scp", flags);
        cmd.arg(self.local).arg(self.remote(&up));
        self.host.run(cmd).silent();
        self.check(&format!("{name} up"), &self.host.user.home.join(&up));
        let down = self.host.sb.path().join(format!("down-{name}.bin"));
        let mut cmd = self.host.client("scp", flags);
        cmd.arg(self.remote("remote.bin")).arg(&down);
        self.host.run(cmd).silent();
        self.check(&format!("{name} down"), &down);
    }

    /// An sftp batch: `put`, then `get`.
    fn sftp(&self) {
        let host = self.host;
        let down = host.sb.path().join("down-sftp.bin");
        let batch = host.sb.write(
            "sftp-batch",
            format!(
                "put {} up-sftp.bin\nget remote.bin {}\n",
                path_str(self.local),
                path_str(&down)
            ),
        );
        let mut cmd = host.client("sftp", &["-q", "-b", path_str(&batch)]);
        cmd.arg(host.destination());
        let r = host.run(cmd);
        r.expect_code(0);
        assert!(r.stderr.is_empty(), "{}: sftp\n{}", self.ctx, r.dump());
        self.check("sftp put", &host.user.home.join("up-sftp.bin"));
        self.check("sftp get", &down);
    }

    /// rsync both ways over ssh, if installed (it fails outright when a
    /// shell start-up file prints anything).
    fn rsync(&self) {
        if !on_path("rsync") {
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED tests/sshd.rs rsync ({}): rsync is not installed",
                self.ctx
            );
            return;
        }
        let host = self.host;
        let shell = std::iter::once("ssh".to_string())
            .chain(host.options())
            .collect::<Vec<_>>()
            .join(" ");
        let mut cmd = host.sb.program("rsync", &["-e", &shell]);
        cmd.arg(self.local).arg(self.remote("up-rsync.bin"));
        host.run(cmd).silent();
        self.check("rsync up", &host.user.home.join("up-rsync.bin"));
        let down = host.sb.path().join("down-rsync.bin");
        let mut cmd = host.sb.program("rsync", &["-e", &shell]);
        cmd.arg(self.remote("remote.bin")).arg(&down);
        host.run(cmd).silent();
        self.check("rsync down", &down);
    }
}

// ---------------------------------------------------------------------------
// 3. The ForceCommand wrapper
// ---------------------------------------------------------------------------

#[test]
fn force_command_shows_the_card_on_interactive_logins() {
    let Some(host) = host(
        "force_command_shows_the_card_on_interactive_logins",
        &Setup {
            force_command: true,
            ..Setup::default()
        },
    ) else {
        return;
    };
    host.install_profile();
    assert_cards_fit_the_terminal(&host, "ForceCommand");
    assert_no_colour_where_the_terminal_says_so(&host, "ForceCommand");
    // Then the user's login shell, working.
    let mut terminal = host.terminal((80, 24), &[], &[], &[]);
    terminal.wait_for("Run `termfolio`");
    terminal.type_line("shopt -q login_shell && echo shell-$((6*7))-login");
    terminal.wait_for("shell-42");
    terminal.type_line("exit");
    let screen = terminal.close();
    assert!(
        screen.contains("shell-42-login"),
        "a login shell:\n{screen}"
    );
}

#[test]
fn force_command_passes_commands_scp_sftp_and_rsync_through() {
    let Some(host) = host(
        "force_command_passes_commands_scp_sftp_and_rsync_through",
        &Setup {
            force_command: true,
            ..Setup::default()
        },
    ) else {
        return;
    };
    host.install_profile();
    // Calibration: the wrapper runs commands (sshd set SSH_ORIGINAL_COMMAND
    // for it, which it is not without a ForceCommand).
    let r = host.run(host.ssh(&[], &["echo \"[$SSH_ORIGINAL_COMMAND]\""]));
    r.success();
    assert_eq!(
        r.out(),
        "[echo \"[$SSH_ORIGINAL_COMMAND]\"]\n",
        "{}",
        r.what
    );
    assert_commands_untouched(&host, "ForceCommand");
    assert_copies_are_clean(&host, Copies::All, "ForceCommand");
}

#[test]
fn force_command_serves_sftp_where_sshd_says_internal_sftp() {
    let Some(host) = host(
        "force_command_serves_sftp_where_sshd_says_internal_sftp",
        &Setup {
            force_command: true,
            sftp: Some("internal-sftp"),
            ..Setup::default()
        },
    ) else {
        return;
    };
    host.install_profile();
    assert_copies_are_clean(
        &host,
        Copies::Sftp,
        "ForceCommand, Subsystem sftp internal-sftp",
    );
}

// ---------------------------------------------------------------------------
// 4. The message of the day
// ---------------------------------------------------------------------------

/// How Debian's pam_motd runs `/etc/update-motd.d` (its `system(3)` line),
/// should the module not be found to read it from.
const DEBIAN_PAM_MOTD: &str = "/usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin run-parts --lsbsysinit /etc/update-motd.d > /run/motd.dynamic.new";

/// pam_motd's own command line for `/etc/update-motd.d`, read from
/// `pam_motd.so` where it is installed (else [`DEBIAN_PAM_MOTD`], said so).
fn pam_motd_command() -> String {
    let mut modules = Vec::new();
    for lib in ["/lib", "/usr/lib", "/lib64", "/usr/lib64"] {
        modules.push(Path::new(lib).join("security/pam_motd.so"));
        for dir in std::fs::read_dir(lib).into_iter().flatten().flatten() {
            modules.push(dir.path().join("security/pam_motd.so"));
        }
    }
    let found = modules.iter().find_map(|m| {
        let bytes = std::fs::read(m).ok()?;
        let at = bytes.windows(9).position(|w| w == b"run-parts")?;
        let start = bytes[..at]
            .iter()
            .rposition(|&b| b == 0)
            .map_or(0, |i| i + 1);
        let end = bytes[at..]
            .iter()
            .position(|&b| b == 0)
            .map_or(bytes.len(), |i| at + i);
        String::from_utf8(bytes[start..end].to_vec()).ok()
    });
    found.unwrap_or_else(|| {
        let _ = writeln!(
            std::io::stderr(),
            "tests/sshd.rs: pam_motd.so not found; running Debian's command for it"
        );
        DEBIAN_PAM_MOTD.to_string()
    })
}

/// The machine's own motd: its files and `/etc/update-motd.d`'s, with
/// their sizes and times, to show that nothing of it changes.
fn machine_motd() -> Vec<(PathBuf, Option<(u64, std::time::SystemTime)>)> {
    let mut paths = vec![
        PathBuf::from("/run/motd.dynamic"),
        PathBuf::from("/run/motd.dynamic.new"),
        PathBuf::from("/etc/motd"),
        PathBuf::from("/etc/update-motd.d"),
    ];
    if let Ok(dir) = std::fs::read_dir("/etc/update-motd.d") {
        paths.extend(dir.flatten().map(|e| e.path()));
    }
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let seen = std::fs::metadata(&p)
                .ok()
                .map(|m| (m.len(), m.modified().unwrap_or(std::time::UNIX_EPOCH)));
            (p, seen)
        })
        .collect()
}

/// `contrib/update-motd.sh` installed in a copy of `/etc/update-motd.d`
/// in the sandbox as README installs it (`50-termfolio`, mode 755), the
/// binary and the system profile's paths pointed into the test; then
/// pam_motd's command run on that directory. What pam_motd would show.
fn motd_as_pam_motd_gives_it(sb: &Sandbox, system_profile: &Path) -> String {
    let dir = sb.path().join("update-motd.d");
    std::fs::create_dir_all(&dir).expect("make update-motd.d");
    let script = repo_file("contrib/update-motd.sh")
        .replace("/usr/local/bin/termfolio", BIN)
        .replace("/etc/termfolio/profile.toml", path_str(system_profile));
    let installed = dir.join("50-termfolio");
    std::fs::write(&installed, script).expect("install 50-termfolio");
    set_mode(&installed, 0o755);
    let out = sb.path().join("motd.dynamic.new");
    let pam = pam_motd_command();
    assert!(
        pam.contains(" /etc/update-motd.d") && pam.contains("> /run/motd.dynamic.new"),
        "pam_motd's command is not as expected: {pam}"
    );
    let command = pam
        .replace(" /etc/update-motd.d", &format!(" {}", path_str(&dir)))
        .replace("> /run/motd.dynamic.new", &format!("> {}", path_str(&out)));
    // Whatever the caller's environment says, pam_motd's `env -i` drops it.
    let mut cmd = sb.program("sh", &["-c", &command]);
    cmd.envs([
        ("CLICOLOR_FORCE", "1"),
        ("COLUMNS", "200"),
        ("TERM", "xterm"),
    ]);
    let r = run_within(cmd, None, STEP);
    r.success();
    std::fs::read_to_string(&out).expect("the motd")
}

/// Whether run-parts is here; says so when it is not.
fn have_run_parts(test: &str) -> bool {
    let ok = on_path("run-parts");
    if !ok {
        skip(test, "no run-parts (Debian's debianutils)");
    }
    ok
}

#[test]
fn update_motd_gives_pam_motd_the_plain_80_column_card() {
    if !have_run_parts("update_motd_gives_pam_motd_the_plain_80_column_card") {
        return;
    }
    let before = machine_motd();
    let sb = Sandbox::with_timeout(STEP);
    let motd = motd_as_pam_motd_gives_it(&sb, &sb.path().join("no-system-profile.toml"));
    let r = run_within(
        sb.command(&["banner", "--ascii", "--color", "never", "--width", "80"]),
        None,
        STEP,
    );
    r.success();
    assert_eq!(motd, r.out(), "the built-in profile's card, README's form");
    assert_banner_form(&motd, "the motd");
    assert_eq!(machine_motd(), before, "the machine's own motd changed");
}

#[test]
fn update_motd_shows_the_system_profile() {
    if !have_run_parts("update_motd_shows_the_system_profile") {
        return;
    }
    let sb = Sandbox::with_timeout(STEP);
    let profile = sb.write(
        "etc-termfolio/profile.toml",
        repo_file("tests/fixtures/banner_punctuation.toml"),
    );
    let motd = motd_as_pam_motd_gives_it(&sb, &profile);
    assert!(motd.starts_with("José O'Núñez"), "{motd}");
    let r = run_within(
        sb.command(&[
            "--profile",
            path_str(&profile),
            "banner",
            "--ascii",
            "--color",
            "never",
            "--width",
            "80",
        ]),
        None,
        STEP,
    );
    assert_eq!(motd, r.out());
    // A system profile that does not load: no motd, and no error for
    // pam_motd to show.
    std::fs::write(&profile, "[person]\nnmae = \"typo\"\n").unwrap();
    assert_eq!(motd_as_pam_motd_gives_it(&sb, &profile), "");
}
