//! Helpers shared by the integration tests over the built binary (each test
//! file declares `mod common;`): a sandbox directory to run processes in, a
//! watchdog around every run, what a run left behind, and text checks
//! (display width, SGR sequences, inert output, screens that fit).
//!
//! Every process a [`Sandbox`] starts runs in a fresh temporary directory that
//! is also its `HOME` and `XDG_CONFIG_HOME`, with the variables that steer
//! termfolio (`TERMFOLIO_PROFILE`, `NO_COLOR`, `CLICOLOR*`, `COLUMNS`, the
//! locale, the ssh variables) removed or pinned, so the environment of
//! whoever runs the tests never leaks in.

// Each test file uses only some of these helpers.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// The built binary.
pub const BIN: &str = env!("CARGO_BIN_EXE_termfolio");

/// The root of the repository.
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// No process may take longer than this unless its sandbox says otherwise
/// (termfolio must never hang): the watchdog kills it and the test fails with
/// "hang".
pub const TIMEOUT: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------
// Sandbox
// ---------------------------------------------------------------------------

/// A fresh, empty directory: the working directory, `HOME` and
/// `XDG_CONFIG_HOME` of every process it runs. Removed on drop.
pub struct Sandbox {
    dir: PathBuf,
    /// How long [`Sandbox::run`] lets a process run.
    timeout: Duration,
}

impl Sandbox {
    pub fn new() -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!(
            "termfolio-{}-{}-{n}",
            env!("CARGO_CRATE_NAME"),
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the sandbox directory");
        Sandbox {
            dir,
            timeout: TIMEOUT,
        }
    }

    /// The same, with processes run by [`Sandbox::run`] killed (and the test
    /// failed) after `timeout` instead of [`TIMEOUT`].
    pub fn with_timeout(timeout: Duration) -> Self {
        let mut sandbox = Sandbox::new();
        sandbox.timeout = timeout;
        sandbox
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// The directory's name, unique to this sandbox.
    pub fn name(&self) -> &str {
        self.dir
            .file_name()
            .and_then(|n| n.to_str())
            .expect("a UTF-8 sandbox name")
    }

    /// Writes `contents` to `name` (relative to the sandbox), creating parents.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create fixture directory");
        }
        std::fs::write(&path, contents).expect("write fixture");
        path
    }

    /// `program ARGS` in the sandbox, isolated from the user's environment:
    /// a UTF-8 locale, a colour-capable `TERM`, no `COLUMNS`, no colour
    /// variables, no ssh variables, no `RUST_BACKTRACE`, `SHELL=/bin/sh`.
    pub fn program(&self, program: &str, args: &[&str]) -> Command {
        let mut cmd = Command::new(program);
        cmd.args(args)
            .current_dir(&self.dir)
            .env("HOME", &self.dir)
            .env("XDG_CONFIG_HOME", &self.dir)
            .env("LANG", "C.UTF-8")
            .env("TERM", "xterm-256color")
            .env("SHELL", "/bin/sh");
        for var in [
            "TERMFOLIO_PROFILE",
            "TERMFOLIO",
            "NO_COLOR",
            "CLICOLOR_FORCE",
            "CLICOLOR",
            "COLORTERM",
            "COLUMNS",
            "LINES",
            "LC_ALL",
            "LC_CTYPE",
            "RUST_BACKTRACE",
            "SSH_ORIGINAL_COMMAND",
            "SSH_CLIENT",
            "SSH2_CLIENT",
            "SSH_CONNECTION",
            "SSH_TTY",
            "SHLVL",
            "BASH_ENV",
            "ENV",
        ] {
            cmd.env_remove(var);
        }
        cmd
    }

    /// `termfolio ARGS` in the sandbox.
    pub fn command(&self, args: &[&str]) -> Command {
        self.program(BIN, args)
    }

    /// Runs `termfolio ARGS` in the sandbox (see [`run`]).
    pub fn run(&self, args: &[&str]) -> Run {
        run_within(self.command(args), None, self.timeout)
    }

    /// `sh -c SCRIPT` inside a pseudo-terminal (`script -qec SCRIPT /dev/null`),
    /// with the sandbox's environment plus `env`.
    pub fn pty(&self, script: &str, env: &[(&str, &str)]) -> Run {
        let mut cmd = self.program("script", &["-qec", script, "/dev/null"]);
        cmd.envs(env.iter().copied());
        run(cmd)
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

// ---------------------------------------------------------------------------
// Running a process
// ---------------------------------------------------------------------------

/// What a finished process left behind.
pub struct Run {
    /// The command line, for messages.
    pub what: String,
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Run {
    pub fn out(&self) -> String {
        String::from_utf8(self.stdout.clone())
            .unwrap_or_else(|e| panic!("{}: stdout is not UTF-8: {e}", self.what))
    }

    pub fn err(&self) -> String {
        String::from_utf8(self.stderr.clone())
            .unwrap_or_else(|e| panic!("{}: stderr is not UTF-8: {e}", self.what))
    }

    /// What a pseudo-terminal showed: stdout with the `\r` of `\r\n` removed.
    pub fn screen(&self) -> String {
        self.out().replace("\r\n", "\n")
    }

    /// Both streams, for messages.
    pub fn dump(&self) -> String {
        format!(
            "--- stdout ---\n{}\n--- stderr ---\n{}",
            String::from_utf8_lossy(&self.stdout),
            String::from_utf8_lossy(&self.stderr)
        )
    }

    /// No panic, whatever else happened: not exit 101, not killed by a
    /// signal, no panic text on stderr.
    #[track_caller]
    pub fn no_panic(&self) -> &Self {
        assert_ne!(
            self.code,
            Some(101),
            "{}: exit 101 (a panic)\n{}",
            self.what,
            self.dump()
        );
        assert!(
            self.code.is_some(),
            "{}: killed by a signal (stack overflow?)\n{}",
            self.what,
            self.dump()
        );
        let err = String::from_utf8_lossy(&self.stderr);
        assert!(
            !err.contains("panicked") && !err.contains("stack overflow"),
            "{}: panic text on stderr\n{}",
            self.what,
            self.dump()
        );
        self
    }

    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "{}: exit status\n{}",
            self.what,
            self.dump()
        );
        self
    }

    /// Exit 0 with nothing on stderr (and so no panic).
    #[track_caller]
    pub fn success(&self) -> &Self {
        self.no_panic();
        self.expect_code(0);
        assert!(
            self.stderr.is_empty(),
            "{}: unexpected stderr\n{}",
            self.what,
            self.dump()
        );
        self
    }

    /// Exit 0, nothing on stdout, nothing on stderr.
    #[track_caller]
    pub fn silent(&self) -> &Self {
        self.success();
        assert!(
            self.stdout.is_empty(),
            "{}: expected no output, got:\n{}",
            self.what,
            String::from_utf8_lossy(&self.stdout)
        );
        self
    }

    /// Exit `code`, nothing on stdout, and stderr starting with `error:`.
    #[track_caller]
    pub fn failure(&self, code: i32) -> &Self {
        self.expect_code(code);
        assert!(
            self.err().starts_with("error:"),
            "{}: stderr must start with `error:`:\n{}",
            self.what,
            self.err()
        );
        assert!(
            self.stdout.is_empty(),
            "{}: a failure printed to stdout:\n{}",
            self.what,
            String::from_utf8_lossy(&self.stdout)
        );
        self
    }
}

/// Runs `cmd` with stdin closed and stdout/stderr piped; panics (after
/// killing it) if it does not finish within [`TIMEOUT`].
pub fn run(cmd: Command) -> Run {
    run_within(cmd, None, TIMEOUT)
}

/// Like [`run`], feeding `input` (when given) to stdin from another thread.
pub fn run_with_input(cmd: Command, input: Option<Vec<u8>>) -> Run {
    run_within(cmd, input, TIMEOUT)
}

/// Like [`run_with_input`], killing the process after `timeout`.
pub fn run_within(mut cmd: Command, input: Option<Vec<u8>>, timeout: Duration) -> Run {
    let program = Path::new(cmd.get_program())
        .file_name()
        .unwrap_or(cmd.get_program())
        .to_string_lossy()
        .into_owned();
    let what = format!(
        "{program} {}",
        cmd.get_args()
            .map(|a| format!("{:?}", a.to_string_lossy()))
            .collect::<Vec<_>>()
            .join(" ")
    );
    cmd.stdin(if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("{what}: cannot spawn: {e}"));
    let writer = input.map(|bytes| {
        let mut stdin = child.stdin.take().expect("piped stdin");
        std::thread::spawn(move || {
            // The child may legitimately stop reading early; that is checked
            // through its output, not here.
            let _ = stdin.write_all(&bytes);
        })
    });
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        out.read_to_end(&mut v).map(|_| v)
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        err.read_to_end(&mut v).map(|_| v)
    });
    let status = wait_within(&mut child, &what, timeout);
    if let Some(w) = writer {
        w.join().expect("stdin writer");
    }
    let stdout = out_reader
        .join()
        .expect("stdout reader")
        .expect("read stdout");
    let stderr = err_reader
        .join()
        .expect("stderr reader")
        .expect("read stderr");
    Run {
        what,
        code: status.code(),
        stdout,
        stderr,
    }
}

/// Waits for `child` at most [`TIMEOUT`], killing it and panicking after.
pub fn wait(child: &mut Child, what: &str) -> ExitStatus {
    wait_within(child, what, TIMEOUT)
}

/// Waits for `child` at most `timeout`, killing it and panicking after.
pub fn wait_within(child: &mut Child, what: &str, timeout: Duration) -> ExitStatus {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            return status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("hang: {what} did not finish within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

// ---------------------------------------------------------------------------
// Shell words and repository files
// ---------------------------------------------------------------------------

/// `s` quoted for a POSIX shell.
pub fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A path as a string (the tests only make UTF-8 paths).
pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// A file of the repository, read at run time (it may be edited concurrently).
pub fn repo_file(rel: &str) -> String {
    let path = Path::new(ROOT).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

// ---------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------

/// Columns taken by `s` in a terminal, measured per grapheme (`unicode-width`
/// over `unicode-segmentation` graphemes, the measure the README promises:
/// CJK and emoji two columns, combining marks none).
pub fn display_width(s: &str) -> usize {
    s.graphemes(true).map(UnicodeWidthStr::width).sum()
}

/// Removes SGR sequences (`ESC [ params m`) and nothing else, so that any
/// other sequence is left for the caller (or [`assert_inert`]) to find.
pub fn strip_sgr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("\x1b[") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find(|c: char| !(c.is_ascii_digit() || c == ';')) {
            Some(j) if after[j..].starts_with('m') => rest = &after[j + 1..],
            // Not an SGR: keep it so that callers see the ESC.
            _ => {
                out.push_str("\x1b[");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The parameter lists of every SGR sequence in `s`.
pub fn sgr_params(s: &str) -> Vec<Vec<String>> {
    let mut all = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find("\x1b[") {
        let after = &rest[i + 2..];
        let end = after
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(after.len());
        if after[end..].starts_with('m') {
            all.push(after[..end].split(';').map(str::to_string).collect());
        }
        rest = &after[end..];
    }
    all
}

/// Each row of a plain snapshot as cells: a grapheme fills as many cells as
/// it is wide, its first character in the first cell and a `'\0'` placeholder
/// in each further one; rows are padded with spaces to `width`.
pub fn grid(screen: &str, width: usize) -> Vec<Vec<char>> {
    screen
        .lines()
        .map(|line| {
            let mut row = Vec::with_capacity(width);
            for g in line.graphemes(true) {
                let w = g.width();
                if let (Some(c), true) = (g.chars().next(), w > 0) {
                    row.push(c);
                    row.extend(std::iter::repeat_n('\0', w - 1));
                }
            }
            while row.len() < width {
                row.push(' ');
            }
            row
        })
        .collect()
}

/// The characters that reorder text (Trojan Source).
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// UTF-8 with no ESC, no C0 control but `\n`, no DEL, no C1 control and no
/// bidirectional control. Returns the text.
#[track_caller]
pub fn assert_inert(bytes: &[u8], ctx: &str) -> String {
    let text = String::from_utf8(bytes.to_vec())
        .unwrap_or_else(|e| panic!("{ctx}: output is not UTF-8: {e}"));
    assert!(
        !bytes.contains(&0x1b),
        "{ctx}: output contains ESC (0x1b):\n{text:?}"
    );
    for (i, c) in text.char_indices() {
        let bad = (c.is_control() && c != '\n') || is_bidi_control(c);
        assert!(
            !bad,
            "{ctx}: output contains U+{:04X} at byte {i}:\n{text:?}",
            u32::from(c)
        );
    }
    text
}

/// No line of `text` wider than `width` display columns.
#[track_caller]
pub fn assert_no_line_wider(text: &str, width: usize, ctx: &str) {
    for (i, line) in text.lines().enumerate() {
        let w = display_width(line);
        assert!(
            w <= width,
            "{ctx}: line {} is {w} columns wide (max {width}):\n{line}\n\n{text}",
            i + 1
        );
    }
}

/// A screen: exactly `height` lines, the last ending with a newline, none
/// wider than `width` display columns.
#[track_caller]
pub fn assert_fits(screen: &str, width: usize, height: usize, ctx: &str) {
    assert_eq!(
        screen.lines().count(),
        height,
        "{ctx}: line count\n{screen}"
    );
    assert!(
        screen.ends_with('\n'),
        "{ctx}: last line must end with a newline"
    );
    assert_no_line_wider(screen, width, ctx);
}

/// A profile error `err` names `file:line:column` (`file:line:` and some
/// column when `column` is `None`), shows the offending line as `line | ...`
/// holding `shown`, and a caret under it.
#[track_caller]
pub fn assert_points_at(
    err: &str,
    file: &str,
    line: usize,
    column: Option<usize>,
    shown: &str,
    ctx: &str,
) {
    match column {
        Some(col) => {
            let at = format!("{file}:{line}:{col}");
            assert!(err.contains(&at), "{ctx}\nwant the place `{at}`");
        }
        None => {
            let prefix = format!("{file}:{line}:");
            let Some(at) = err.find(&prefix) else {
                panic!("{ctx}\nwant the place `{prefix}<column>`");
            };
            assert!(
                err[at + prefix.len()..].starts_with(|c: char| c.is_ascii_digit()),
                "{ctx}\nwant a column after `{prefix}`"
            );
        }
    }
    let lines: Vec<&str> = err.lines().collect();
    let Some(source) = lines
        .iter()
        .position(|l| l.trim_start().starts_with(&format!("{line} |")) && l.contains(shown))
    else {
        panic!("{ctx}\nthe offending line `{line} | {shown}...` is not shown");
    };
    assert!(
        lines[source + 1..]
            .iter()
            .any(|l| l.contains('|') && l.contains('^')),
        "{ctx}\nno caret under the offending line"
    );
}

/// A tmux server of a test's own (its own socket, so tests never meet),
/// holding one 100x30 session; killed, socket file and all, when dropped.
pub struct TmuxServer {
    socket: String,
    socket_path: String,
}

impl TmuxServer {
    /// `tmux -L SOCKET -f /dev/null new-session -d -x 100 -y 30`, ready for
    /// the session's environment, directory and program to be added.
    pub fn session_command(socket: &str) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.args(["-L", socket, "-f", "/dev/null"]).args([
            "new-session",
            "-d",
            "-x",
            "100",
            "-y",
            "30",
        ]);
        cmd
    }

    /// Runs `cmd` (from [`TmuxServer::session_command`]) and takes charge of the server.
    #[track_caller]
    pub fn start(socket: String, mut cmd: Command, what: &str) -> TmuxServer {
        let status = cmd
            .status()
            .unwrap_or_else(|e| panic!("tmux must be installed to run {what}: {e}"));
        assert!(status.success(), "tmux new-session failed for {what}");
        let mut server = TmuxServer {
            socket,
            socket_path: String::new(),
        };
        server.socket_path = server
            .tmux(&["display-message", "-p", "#{socket_path}"])
            .trim()
            .to_string();
        server
    }

    /// Any tmux command against this server; its stdout.
    pub fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "0"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    pub fn capture(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "0"])
    }

    /// A format variable of the pane (`alternate_on`, `mouse_any_flag`, ...).
    pub fn flag(&self, name: &str) -> String {
        self.tmux(&["display-message", "-p", "-t", "0", &format!("#{{{name}}}")])
            .trim()
            .to_string()
    }
}

impl Drop for TmuxServer {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .stderr(Stdio::null())
            .status();
        // kill-server leaves the socket file behind.
        if self.socket_path.contains(&self.socket) {
            let _ = std::fs::remove_file(&self.socket_path);
        }
    }
}

// ---------------------------------------------------------------------------
// Servers and clients
// ---------------------------------------------------------------------------

/// A child process killed (and reaped) when dropped, even when a test fails.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A TCP port free on 127.0.0.1 a moment ago (for a server that must be
/// told its port: systemd-socket-activate, HAProxy, a container).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// OpenSSH client options for the tests: no user config, no host key
/// checks, no prompts, errors only.
pub const SSH_OPTIONS: [&str; 10] = [
    "-F",
    "/dev/null",
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    "-o",
    "LogLevel=ERROR",
    "-o",
    "BatchMode=yes",
];
