//! Terminal tests: the real binary in a real pseudo-terminal (tmux), quit by
//! keys and by signals, suspended and resumed; the terminal must come back as
//! it was found. `.ci/run` installs tmux.

mod common;

use std::path::Path;
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::{BIN, Sandbox, TmuxServer};

/// A tmux server of our own running one shell, with a scratch directory (a
/// sandbox, whose unique name is also the server's socket).
struct Tmux {
    server: TmuxServer,
    sandbox: Sandbox,
}

impl std::ops::Deref for Tmux {
    type Target = TmuxServer;
    fn deref(&self) -> &TmuxServer {
        &self.server
    }
}

impl Tmux {
    fn new() -> Tmux {
        let sandbox = Sandbox::new();
        let socket = sandbox.name().to_string();
        let mut cmd = TmuxServer::session_command(&socket);
        cmd.args([
            "env",
            "-i",
            "PATH=/usr/bin:/bin",
            "TERM=xterm-256color",
            "LANG=C.UTF-8",
            "PS1=ready> ",
        ])
        .arg(format!("HOME={}", sandbox.path().display()))
        .args(["bash", "--norc", "--noprofile", "-i"])
        .current_dir(sandbox.path());
        let server = TmuxServer::start(socket, cmd, "the terminal tests");
        let t = Tmux { server, sandbox };
        t.wait_for(|| t.capture().contains("ready>"), "a shell prompt");
        t
    }

    /// The scratch directory: the shell's `HOME` and working directory.
    fn dir(&self) -> &Path {
        self.sandbox.path()
    }

    fn line(&self, line: &str) {
        self.keys(&["-l", line]);
        self.keys(&["Enter"]);
    }

    fn file(&self, name: &str) -> Option<String> {
        std::fs::read_to_string(self.dir().join(name)).ok()
    }

    /// Waits until the scratch file `name` is written (not empty); returns it
    /// trimmed.
    fn wait_file(&self, name: &str, what: &str) -> String {
        self.wait_for(|| self.file(name).is_some_and(|s| !s.is_empty()), what);
        self.file(name).unwrap().trim().to_string()
    }

    /// The pid the scratch file `name` holds.
    fn pid(&self, name: &str) -> u32 {
        self.file(name).unwrap().trim().parse().unwrap()
    }

    fn wait_for(&self, mut ok: impl FnMut() -> bool, what: &str) {
        let start = Instant::now();
        while !ok() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "timed out waiting for {what}; screen:\n{}",
                self.capture()
            );
            sleep(Duration::from_millis(50));
        }
    }

    /// Starts the viewer from the shell, recording the tty settings before
    /// and after, its pid and its exit status.
    fn start_viewer(&self) -> u32 {
        self.line(&format!(
            "stty -g > before; ( echo $BASHPID > pid; exec {BIN} ); echo $? > status; stty -g > after"
        ));
        self.wait_for(|| self.capture().contains("Publications"), "the viewer");
        self.pid("pid")
    }

    /// Starts the viewer with no shell in between, in window 9: it leads its
    /// own session, as under sshd. Returns its pid once it has had time to
    /// set up.
    fn start_session_leader(&self) -> u32 {
        self.tmux(&[
            "new-window",
            "-d",
            "-t",
            "9",
            &format!("echo $$ > {}/pid2; exec {BIN}", self.dir().display()),
        ]);
        self.wait_file("pid2", "the viewer");
        let pid = self.pid("pid2");
        sleep(Duration::from_millis(300));
        pid
    }

    fn wait_exit(&self) -> i32 {
        self.wait_file("after", "the viewer to exit");
        self.file("status").unwrap().trim().parse().unwrap()
    }

    /// The screen, tty modes, mouse and cursor are as they were.
    fn assert_restored(&self) {
        assert_eq!(
            self.file("before"),
            self.file("after"),
            "tty settings restored"
        );
        assert_eq!(self.flag("alternate_on"), "0", "alternate screen left");
        assert_eq!(self.flag("mouse_any_flag"), "0", "mouse reporting off");
        assert_eq!(self.flag("mouse_sgr_flag"), "0", "SGR mouse off");
        assert_eq!(self.flag("cursor_flag"), "1", "cursor shown");
    }
}

fn kill(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

fn alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
        && !std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| s.contains(") Z "))
}

/// Fails with `message` unless the process `pid` is gone within a second.
#[track_caller]
fn assert_gone_within_a_second(pid: u32, message: &str) {
    let start = Instant::now();
    while alive(pid) {
        assert!(start.elapsed() < Duration::from_secs(1), "{message}");
        sleep(Duration::from_millis(20));
    }
}

#[test]
fn quitting_with_q_restores_the_terminal() {
    let t = Tmux::new();
    t.start_viewer();
    assert_eq!(t.flag("alternate_on"), "1");
    t.keys(&["4"]);
    t.wait_for(|| t.capture().contains("Details"), "the publications tab");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
}

#[test]
fn ctrl_c_quits_and_restores() {
    let t = Tmux::new();
    t.start_viewer();
    t.keys(&["C-c"]);
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
}

#[test]
fn signals_end_the_viewer_through_the_normal_teardown() {
    for signal in ["TERM", "INT", "HUP", "QUIT"] {
        let t = Tmux::new();
        let pid = t.start_viewer();
        kill(pid, signal);
        t.wait_exit();
        t.assert_restored();
        assert!(!alive(pid), "SIG{signal}: process gone");
    }
}

#[test]
fn resize_relays_out_at_once() {
    let t = Tmux::new();
    t.start_viewer();
    t.tmux(&["resize-window", "-t", "0", "-x", "10", "-y", "4"]);
    t.wait_for(|| t.capture().contains("Termin"), "the too-small message");
    t.tmux(&["resize-window", "-t", "0", "-x", "120", "-y", "40"]);
    t.wait_for(
        || t.capture().contains("Zhejiang University (ZJU)"),
        "the full layout again",
    );
    t.keys(&["q"]);
    t.wait_exit();
    t.assert_restored();
}

#[test]
fn ctrl_z_suspends_and_fg_resumes() {
    let t = Tmux::new();
    t.line("stty -g > before");
    t.line(&format!("( echo $BASHPID > pid; exec {BIN} )"));
    t.wait_for(|| t.capture().contains("Publications"), "the viewer");
    let pid = t.pid("pid");
    t.keys(&["C-z"]);
    t.wait_for(
        || std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| s.contains(") T ")),
        "the viewer to stop",
    );
    t.wait_for(
        || t.flag("alternate_on") == "0",
        "the viewer to give the screen back",
    );
    assert_eq!(t.flag("mouse_any_flag"), "0");
    assert_eq!(t.flag("cursor_flag"), "1");
    t.line("stty -g > after");
    t.wait_file("after", "stty");
    assert_eq!(
        t.file("before"),
        t.file("after"),
        "tty settings restored while stopped"
    );
    std::fs::remove_file(t.dir().join("after")).unwrap();
    t.line("fg");
    t.wait_for(
        || t.flag("alternate_on") == "1",
        "the viewer to take the screen again",
    );
    t.wait_for(|| t.capture().contains("Publications"), "a redraw");
    t.keys(&["q"]);
    t.wait_for(|| !alive(pid), "the viewer to exit");
    // `fg` returns the job's exit status.
    t.line("echo $? > status; stty -g > after");
    assert_eq!(t.wait_file("status", "the status"), "0");
    t.wait_file("after", "stty");
    t.assert_restored();
}

#[test]
fn closing_the_terminal_ends_the_viewer() {
    // No shell in between: the viewer is the session leader, as under sshd.
    let t = Tmux::new();
    let pid = t.start_session_leader();
    t.tmux(&["kill-window", "-t", "9"]);
    assert_gone_within_a_second(pid, "viewer still running after its window closed");
}

#[test]
fn dropping_the_whole_terminal_ends_the_viewer() {
    let t = Tmux::new();
    let pid = t.start_viewer();
    t.tmux(&["kill-server"]);
    assert_gone_within_a_second(pid, "viewer still running after hang-up");
}

#[test]
fn ctrl_z_is_ignored_without_a_shell_to_return_to() {
    // The viewer leads its own session, as under an sshd ForceCommand: a stop
    // could never be resumed, so Ctrl-z must do nothing.
    let t = Tmux::new();
    let pid = t.start_session_leader();
    t.tmux(&["send-keys", "-t", "9", "C-z"]);
    sleep(Duration::from_millis(300));
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    assert!(
        !stat.contains(") T "),
        "the viewer stopped with nobody to resume it"
    );
    t.tmux(&["send-keys", "-t", "9", "q"]);
    t.wait_for(|| !alive(pid), "the viewer to quit");
}

#[test]
fn y_copies_the_bibtex_through_osc_52() {
    // tmux takes OSC 52 from applications into its paste buffer when
    // set-clipboard is on: the same sequence a terminal or ssh would carry.
    let t = Tmux::new();
    t.tmux(&["set-option", "-g", "set-clipboard", "on"]);
    t.start_viewer();
    t.keys(&["4"]);
    t.wait_for(|| t.capture().contains("Details"), "the publications tab");
    t.keys(&["y"]);
    t.wait_for(
        || t.capture().contains("Sent the BibTeX"),
        "the footer's word",
    );
    let buffer = t.tmux(&["show-buffer"]);
    assert!(
        buffer.starts_with("@inproceedings{zhu2022topology,"),
        "{buffer:?}"
    );
    assert!(
        buffer.contains("author = {Tongtian Zhu and Fengxiang He"),
        "{buffer:?}"
    );
    t.keys(&["q"]);
    t.wait_exit();
    t.assert_restored();
}

/// A small profile named `name`, with two publications.
fn preview_profile(name: &str) -> String {
    format!(
        "[person]\nname = \"{name}\"\n\n[bio]\ntext = \"Bio of {name}.\"\n\n\
         [[publications]]\ntitle = \"First Paper\"\nauthors = [\"{name}\"]\nabbr = \"V\"\nyear = 2020\n\n\
         [[publications]]\ntitle = \"Second Paper\"\nauthors = [\"{name}\"]\nabbr = \"V\"\nyear = 2021\n"
    )
}

/// Issue 16: the viewer shows each save of its profile file (by rename, as
/// vim and VS Code save, and in place), keeps the tab and the selection,
/// shows a broken save's error in a bar without closing, and drops the bar
/// at the next good save.
#[test]
fn the_viewer_shows_each_save_and_a_broken_one_in_a_bar() {
    let t = Tmux::new();
    let profile = t.dir().join("profile.toml");
    std::fs::write(&profile, preview_profile("Ada First")).unwrap();
    t.start_viewer();
    t.wait_for(|| t.capture().contains("Ada First"), "the first version");
    t.keys(&["4"]);
    t.keys(&["j"]);
    t.wait_for(
        || t.capture().contains("▸ V 2021"),
        "the second paper chosen",
    );
    // Saved by rename.
    let swap = t.dir().join(".profile.toml.swp");
    std::fs::write(&swap, preview_profile("Ada Second")).unwrap();
    std::fs::rename(&swap, &profile).unwrap();
    t.wait_for(|| t.capture().contains("Ada Second"), "the renamed save");
    let screen = t.capture();
    assert!(
        screen.contains("▸ V 2021") && screen.contains("╭ Publications"),
        "the tab and the selection stay:\n{screen}"
    );
    // Broken in place: the last good version stays, with the error in a bar.
    std::fs::write(&profile, "[person]\nname = \"Ada Third\"\nnmae = 1\n").unwrap();
    t.wait_for(
        || {
            t.capture()
                .contains("profile.toml:3:1: error: unknown key `nmae`")
        },
        "the error bar",
    );
    let screen = t.capture();
    assert!(
        screen.contains("Ada Second") && screen.contains('✗'),
        "{screen}"
    );
    // Mended: the bar goes.
    std::fs::write(&profile, preview_profile("Ada Fourth")).unwrap();
    t.wait_for(
        || {
            let s = t.capture();
            s.contains("Ada Fourth") && !s.contains('✗')
        },
        "the mended save",
    );
    // A real editor, when there is one: vim's own save.
    if Path::new("/usr/bin/vim").exists() {
        t.tmux(&[
            "new-window",
            "-d",
            "-t",
            "8",
            &format!("vim -n -u NONE {}", profile.display()),
        ]);
        sleep(Duration::from_millis(500));
        t.tmux(&[
            "send-keys",
            "-t",
            "8",
            ":%s/Ada Fourth/Ada Vim/g",
            "Enter",
            ":w",
            "Enter",
        ]);
        t.wait_for(|| t.capture().contains("Ada Vim"), "vim's save");
        t.tmux(&["send-keys", "-t", "8", ":q", "Enter"]);
    } else {
        eprintln!("SKIPPED the vim part: /usr/bin/vim is not installed");
    }
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
}

/// A save that gives the profile a photo shows it (the viewer started
/// without one: how a photo is drawn is settled at the start all the same),
/// and one that takes it away clears its room.
#[test]
fn a_save_that_adds_a_photo_shows_it() {
    let t = Tmux::new();
    let profile = t.dir().join("profile.toml");
    std::fs::write(&profile, preview_profile("Ada Photo")).unwrap();
    let photo = std::fs::read(format!("{}/assets/photo.jpg", common::ROOT)).unwrap();
    std::fs::write(t.dir().join("me.jpg"), photo).unwrap();
    t.start_viewer();
    t.wait_for(|| t.capture().contains("Bio of Ada Photo."), "the Bio tab");
    let half_blocks = |screen: &str| screen.matches(['▀', '▄']).count();
    assert_eq!(half_blocks(&t.capture()), 0, "no photo yet");
    let with_photo = preview_profile("Ada Photo").replacen(
        "name = \"Ada Photo\"\n",
        "name = \"Ada Photo\"\nphoto = \"me.jpg\"\n",
        1,
    );
    std::fs::write(&profile, with_photo).unwrap();
    t.wait_for(
        || half_blocks(&t.capture()) > 50,
        "the photo, in half blocks",
    );
    std::fs::write(&profile, preview_profile("Ada Photo")).unwrap();
    t.wait_for(|| half_blocks(&t.capture()) == 0, "the photo gone again");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
}
