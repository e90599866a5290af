//! The local terminal front end: raw mode, the alternate screen, mouse, the
//! event loop, and putting the terminal back however the viewer ends.

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};

use crate::ansi;
use crate::app::{Action, App, Model, PhotoLook, keymap};
use crate::frontend::{self, Effects};
use crate::layout;
use crate::photo::Photo;
use crate::profile::Profile;
use crate::screen::ClientScreen;

/// Signals that end the viewer through the normal teardown.
const QUIT_SIGNALS: [i32; 4] = [
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGQUIT,
];

/// Runs the viewer until the visitor quits, a signal arrives or the
/// terminal goes away; links are OSC 8 hyperlinks when `hyperlinks` is on.
/// With `watch` (the profile's file), each save is shown as it is made: the
/// live preview. `look` is how a photo is drawn: `photo`'s now, and the one
/// a later save adds.
pub fn run(
    profile: Arc<Profile>,
    color: bool,
    hyperlinks: bool,
    photo: Option<Arc<Photo>>,
    look: PhotoLook,
    watch: Option<PathBuf>,
) -> io::Result<()> {
    let signal = Arc::new(AtomicUsize::new(0));
    for sig in QUIT_SIGNALS {
        // A signal number stored in `signal` ends the loop.
        signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)?;
    }
    install_panic_hook();
    watch_for_hangup();
    enter()?;
    // Before the key reader starts: which graphics the terminal draws. Only
    // a photo there at the start is worth the question (a terminal that
    // does not answer costs its timeout); one a save adds is drawn in half
    // blocks, which every colour terminal shows.
    let look = if photo.is_some() {
        graphics_for(look)
    } else {
        look
    };
    let preview = watch.map(Preview::start);
    match event_loop(
        profile,
        color,
        hyperlinks,
        (photo, look),
        preview.as_ref(),
        &signal,
    ) {
        // The terminal is gone: nothing to restore, nobody to tell.
        Err(e) if terminal_gone(&e) => Ok(()),
        result => {
            leave();
            result
        }
    }
}

fn event_loop(
    profile: Arc<Profile>,
    color: bool,
    hyperlinks: bool,
    (photo, look): (Option<Arc<Photo>>, PhotoLook),
    preview: Option<&Preview>,
    signal: &AtomicUsize,
) -> io::Result<()> {
    // The same screen writer as an SSH visitor's: changed cells only, links
    // as OSC 8 when on.
    let mut screen = ClientScreen::new(hyperlinks);
    let (w, h) = crossterm::terminal::size()?;
    let (w, h) = layout::clamp_size(u32::from(w), u32::from(h));
    let app = App::with_photo_at(profile, color, w, h, photo, look).with_link_opening(true);
    let mut app = Model::Viewer(Box::new(app));
    let mut dirty = true;
    while !app.should_quit() && signal.load(Ordering::Relaxed) == 0 {
        if dirty {
            let mut out = io::stdout().lock();
            out.write_all(&screen.frame(&app))?;
            out.flush()?;
            dirty = false;
        }
        if let Some(save) = preview.and_then(Preview::latest)
            && let Some(viewer) = app.viewer_mut()
        {
            match save {
                Ok((profile, photo)) => *viewer = viewer.reloaded(profile, photo),
                Err(problem) => viewer.set_problem(Some(problem)),
            }
            dirty = true;
            continue;
        }
        // Short waits while watching the file, so a save shows at once.
        let wait = if preview.is_some() {
            PREVIEW_EVERY
        } else {
            IDLE_WAIT
        };
        if !event::poll(wait)? {
            continue;
        }
        match event::read()? {
            Event::Key(key) if key.kind == KeyEventKind::Press => {
                if keymap::action_for(&key) == Some(Action::Suspend) {
                    suspend(&mut screen)?;
                } else {
                    app.on_key(&key);
                    if let Some(viewer) = app.viewer_mut() {
                        frontend::apply_effects(viewer, &mut Local)?;
                    }
                }
                dirty = true;
            }
            Event::Mouse(mouse) => {
                if let Some(action) = keymap::mouse_action(&mouse) {
                    app.update(action);
                    dirty = true;
                }
            }
            Event::Resize(w, h) => {
                let (w, h) = layout::clamp_size(u32::from(w), u32::from(h));
                // A new size is drawn whole (the screen sees the size change).
                app.update(Action::Resize(w, h));
                dirty = true;
            }
            Event::FocusGained => dirty = true,
            _ => {}
        }
    }
    Ok(())
}

/// How long the loop waits for input when it has nothing else to watch.
const IDLE_WAIT: Duration = Duration::from_millis(250);
/// How often the live preview looks at the profile's file, and how long the
/// loop waits for input meanwhile: a save is on screen within about two of
/// these plus the time to read it.
const PREVIEW_EVERY: Duration = Duration::from_millis(50);

/// A save of the profile, read: the new profile and its photo, or why it
/// was not taken (one line: where and what).
type Save = Result<(Arc<Profile>, Option<Arc<Photo>>), String>;

/// The live preview: a thread that polls the profile file's stamp (a save
/// in place or by rename changes it), reads each new version through
/// `check`'s errors, and hands it to the event loop. It stops when the
/// preview is dropped.
struct Preview {
    saves: std::sync::mpsc::Receiver<Save>,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl Preview {
    fn start(path: PathBuf) -> Preview {
        let (send, saves) = std::sync::mpsc::sync_channel(1);
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut last = crate::profile::stamp(&path);
            while !stopped.load(Ordering::Relaxed) {
                std::thread::sleep(PREVIEW_EVERY);
                let now = crate::profile::stamp(&path);
                // A file gone for a moment (some editors delete, then write)
                // is not a save: wait for it to be back.
                if now.is_none() || now == last {
                    continue;
                }
                last = now;
                if send.send(read_save(&path)).is_err() {
                    break;
                }
            }
        });
        Preview { saves, stop }
    }

    /// The newest save read since the last call, if any.
    fn latest(&self) -> Option<Save> {
        self.saves.try_iter().last()
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// The profile at `path` and its photo, or the first error, in one line.
fn read_save(path: &std::path::Path) -> Save {
    let profile = crate::profile::load_checked(path).map_err(|e| crate::profile::one_line(&e))?;
    let source = crate::profile::Source::File(path.to_path_buf());
    let photo = crate::photo::locate(&profile, &source)
        .and_then(Result::ok)
        .map(Arc::new);
    Ok((Arc::new(profile), photo))
}

/// How long the terminal has to answer the graphics query: one that never
/// answers costs this, once, at start.
const QUERY_TIMEOUT: Duration = Duration::from_millis(100);

/// The photo's look on this terminal: its own graphics when it says it has
/// them (kitty's graphics, sixel, or iTerm2's inline images), else `look`
/// (half blocks). Inside tmux or screen, half blocks (their passthrough is
/// not something to count on).
fn graphics_for(look: PhotoLook) -> PhotoLook {
    if !matches!(look, PhotoLook::Drawn { .. }) || !crate::photo::Photo::drawable() {
        return look;
    }
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if std::env::var_os("TMUX").is_some() || !frontend::may_ask_for_graphics(&var("TERM")) {
        return look;
    }
    let Some(answer) = query_terminal(QUERY_TIMEOUT) else {
        return look;
    };
    let konsole = std::env::var_os("KONSOLE_VERSION").is_some();
    frontend::graphics_look(&answer, &var("TERM_PROGRAM"), konsole).unwrap_or(look)
}

/// Asks the terminal (raw mode on, the key reader not started) and reads
/// its answer until DA1's comes or `timeout` passes; `None` without an
/// answer. Keys typed meanwhile are dropped.
fn query_terminal(timeout: Duration) -> Option<frontend::Answer> {
    use std::os::fd::AsRawFd;
    let mut out = io::stdout();
    out.write_all(frontend::GRAPHICS_QUERY.as_bytes()).ok()?;
    out.flush().ok()?;
    let stdin = io::stdin();
    let fd = stdin.as_raw_fd();
    let deadline = std::time::Instant::now() + timeout;
    let mut reply = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return None;
        }
        let mut poll = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = i32::try_from(left.as_millis()).unwrap_or(i32::MAX).max(1);
        // SAFETY: one valid pollfd, for the duration of the call.
        if unsafe { libc::poll(&mut poll, 1, ms) } <= 0 {
            return None;
        }
        let mut buf = [0u8; 256];
        // SAFETY: reading into a buffer we own, at most its length.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        let Ok(n) = usize::try_from(n) else {
            return None;
        };
        if n == 0 {
            return None;
        }
        reply.extend_from_slice(&buf[..n]);
        if let Some(answer) = frontend::parse_answer(&reply) {
            return Some(answer);
        }
        if reply.len() > 4096 {
            return None;
        }
    }
}

/// The local terminal's effects: OSC 52 on stdout (and wrapped for tmux's
/// passthrough inside tmux), links to the system's opener.
struct Local;

impl Effects for Local {
    fn copy(&mut self, text: &str) -> io::Result<()> {
        let mut out = io::stdout();
        out.write_all(ansi::osc52(text).as_bytes())?;
        if std::env::var_os("TMUX").is_some() {
            out.write_all(ansi::osc52_tmux(text).as_bytes())?;
        }
        out.flush()
    }

    fn open(&mut self, url: &str) -> io::Result<&'static str> {
        open(url)
    }
}

/// Hands a link to the system's opener, without a shell, and does not wait;
/// returns the opener's name.
fn open(url: &str) -> io::Result<&'static str> {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let mut child = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    std::thread::spawn(move || child.wait());
    Ok(opener)
}

/// Ctrl-z: give the terminal back, stop, and take it again on `fg`. When no
/// shell with job control started us (we lead our own session, as under an
/// sshd `ForceCommand`), nobody could resume us: Ctrl-z is ignored.
fn suspend(screen: &mut ClientScreen) -> io::Result<()> {
    if !has_job_control() {
        return Ok(());
    }
    leave();
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    enter()?;
    screen.forget();
    Ok(())
}

/// Whether a job-control shell could resume us after a stop: we are not the
/// leader of our session and our parent is not init.
fn has_job_control() -> bool {
    // SAFETY: these calls only read process ids.
    let (pgrp, sid, ppid) = unsafe { (libc::getpgrp(), libc::getsid(0), libc::getppid()) };
    pgrp != sid && ppid != 1
}

fn enter() -> io::Result<()> {
    enable_raw_mode()?;
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        cursor::Hide
    )
}

/// Restores the terminal; errors are ignored because there is nothing left to tell.
fn leave() {
    let mut out = io::stdout();
    let _ = execute!(out, DisableMouseCapture, LeaveAlternateScreen, cursor::Show);
    let _ = out.flush();
    let _ = disable_raw_mode();
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        leave();
        previous(info);
    }));
}

/// Ends the process as soon as the terminal hangs up (ssh dropped, window
/// closed). crossterm's reader spins at 100% CPU on a hung-up tty instead of
/// returning (crossterm#793), so the main thread cannot be relied on to see
/// it: a thread sleeps in `poll(2)` with no requested events, which still
/// reports POLLHUP/POLLERR, and exits at once. Nothing is restored: there is
/// no terminal left to restore.
fn watch_for_hangup() {
    use std::os::fd::AsRawFd;
    let tty = std::fs::File::open("/dev/tty").ok();
    let fds: Vec<i32> = [0, 1]
        .into_iter()
        .filter(|&fd| {
            // SAFETY: isatty only inspects the descriptor.
            unsafe { libc::isatty(fd) == 1 }
        })
        .chain(tty.as_ref().map(|f| f.as_raw_fd()))
        .collect();
    let spawned = std::thread::Builder::new()
        .name("hangup-watch".into())
        .spawn(move || {
            let _keep_open = tty;
            let mut polls: Vec<libc::pollfd> = fds
                .iter()
                .map(|&fd| libc::pollfd {
                    fd,
                    events: 0,
                    revents: 0,
                })
                .collect();
            loop {
                let n = polls.len() as libc::nfds_t;
                // SAFETY: `polls` is a valid, exclusively borrowed array of `n` pollfds.
                let r = unsafe { libc::poll(polls.as_mut_ptr(), n, -1) };
                if r > 0
                    && polls
                        .iter()
                        .any(|p| p.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0)
                {
                    std::process::exit(1);
                }
                if r < 0 && io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
                    return;
                }
            }
        });
    drop(spawned);
}

/// End of file, EIO or EPIPE on the terminal: it is gone (ssh dropped, window closed).
fn terminal_gone(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::UnexpectedEof | io::ErrorKind::BrokenPipe
    ) || e.raw_os_error() == Some(5)
}
