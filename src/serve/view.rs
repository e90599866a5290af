//! A visitor's viewer over SSH: the model lives behind a lock that the
//! handler updates (cheap: keys, clicks, resizes), and one render task per
//! visitor turns it into bytes for the client. That task is the only writer
//! of the visit: frames, clipboard copies and the goodbye all leave through
//! it, one write at a time, waiting while the client does not read. So a
//! client that stops reading holds at most one frame and one copy, and is
//! disconnected after a while; a resize or key flood costs at most one
//! frame per interval.
//!
//! The visit's lifetime has one owner, [`Visit`]: however the visit ends
//! (the visitor quits, the channel closes, the connection drops, a limit is
//! reached, the server stops), dropping or ending the `Visit` ends the task
//! and frees the model and its screens.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::ChannelId;
use russh::server::Handle;
use tokio::sync::Notify;

use super::connection::{ConnectionState, Reason};
use crate::ansi;
use crate::app::Model;
use crate::screen::ClientScreen;

/// Frames per second a visitor gets when events pour in (resize floods,
/// held keys); a few frames may come at once so that a key is never delayed.
const FRAMES_PER_SECOND: f64 = 60.0;
const FRAME_BURST: f64 = 4.0;
/// A client that has not taken a write for this long is disconnected.
const STALL_LIMIT: Duration = Duration::from_secs(20);
/// How long the goodbye may take before the channel is given up.
const GOODBYE_LIMIT: Duration = Duration::from_secs(2);
/// How long a visitor's terminal has to answer the graphics query: one
/// that never answers costs this, once, before the first frame.
const QUERY_TIMEOUT: Duration = Duration::from_millis(100);
/// How long after the query a late answer is still recognised and dropped
/// (so that it is never read as keys).
const LATE_ANSWERS: Duration = Duration::from_secs(2);

/// How a visit ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ending {
    /// The visitor quit: give the terminal back and close the channel.
    Quit,
    /// The server ends it, for this reason (idle, time limit, stopping):
    /// give the terminal back, say why, close the channel.
    Server(String),
    /// The client is gone (channel closed, connection dropped): nothing more
    /// is written; the task just ends.
    Gone,
}

/// The model and what is still to be sent, shared by handler and task.
struct Shown {
    app: Model,
    screen: ClientScreen,
    dirty: bool,
    /// A clipboard copy not yet sent (only the newest is kept).
    copy: Option<Vec<u8>>,
    ending: Option<Ending>,
    /// The graphics query to the visitor's terminal, when one is asked.
    query: Option<Query>,
}

/// The graphics query to a visitor's terminal and its answer so far.
struct Query {
    /// What the visitor's client said of its terminal (`TERM_PROGRAM`).
    term_program: String,
    reply: Vec<u8>,
    /// Set when the answer is whole, or the wait is over.
    done: bool,
    asked: Option<Instant>,
}

/// A handle on the running viewer: updates the model, queues a copy, ends
/// the visit. Cloning it does not keep the visit alive; only [`Visit`] does.
#[derive(Clone)]
pub(crate) struct Viewer {
    shown: Arc<Mutex<Shown>>,
    wake: Arc<Notify>,
    /// Rung when the visitor's terminal has answered the graphics query.
    answered: Arc<Notify>,
}

/// The owner of a visit: ends it when dropped.
pub(crate) struct Visit {
    viewer: Viewer,
}

impl Visit {
    /// Starts the render task for `app` on `channel` (its links OSC 8
    /// hyperlinks when `hyperlinks` is on). With `ask` (the visitor's
    /// `TERM_PROGRAM`), the visitor's terminal is first asked which graphics
    /// it draws, for the photo.
    pub(crate) fn start(
        app: Model,
        hyperlinks: bool,
        ask: Option<String>,
        handle: Handle,
        channel: ChannelId,
        stats: Arc<ConnectionState>,
    ) -> Visit {
        let viewer = Viewer {
            shown: Arc::new(Mutex::new(Shown {
                app,
                screen: ClientScreen::new(hyperlinks),
                dirty: true,
                copy: None,
                ending: None,
                query: ask.map(|term_program| Query {
                    term_program,
                    reply: Vec::new(),
                    done: false,
                    asked: None,
                }),
            })),
            wake: Arc::new(Notify::new()),
            answered: Arc::new(Notify::new()),
        };
        let task = tokio::spawn(render(
            viewer.clone(),
            handle.clone(),
            channel,
            Arc::clone(&stats),
        ));
        // A panic in this visitor's rendering ends this visitor only, at once.
        tokio::spawn(async move {
            if task.await.is_err_and(|e| e.is_panic()) {
                stats.set_reason(Reason::Panic);
                let _ = handle
                    .disconnect(
                        russh::Disconnect::ByApplication,
                        "internal error".into(),
                        "en".into(),
                    )
                    .await;
            }
        });
        viewer.wake.notify_one();
        Visit { viewer }
    }

    /// A handle for updating the model.
    pub(crate) fn viewer(&self) -> &Viewer {
        &self.viewer
    }

    /// Ends the visit as `ending` says (see [`Viewer::end`]).
    pub(crate) fn end(self, ending: Ending) {
        self.viewer.end(ending);
    }
}

impl Drop for Visit {
    fn drop(&mut self) {
        // A no-op when the visit was already ended some other way.
        self.viewer.end(Ending::Gone);
    }
}

impl Viewer {
    /// Changes the model under the lock and asks for a frame.
    pub fn update<R>(&self, change: impl FnOnce(&mut Model) -> R) -> Option<R> {
        let result = {
            let mut shown = self.shown.lock().ok()?;
            if shown.ending.is_some() {
                return None;
            }
            shown.dirty = true;
            change(&mut shown.app)
        };
        self.wake.notify_one();
        Some(result)
    }

    /// Input while (or soon after) the visitor's terminal is asked about
    /// graphics: its answer, taken here; true when `data` was (part of) an
    /// answer, so it is not read as keys. Keys typed during the query are
    /// dropped with it.
    pub(crate) fn answer(&self, data: &[u8]) -> bool {
        let Ok(mut shown) = self.shown.lock() else {
            return false;
        };
        let Some(query) = shown.query.as_mut() else {
            return false;
        };
        let Some(asked) = query.asked else {
            // Not asked yet: nothing to wait for (the first write is on its way).
            return false;
        };
        if !query.done {
            query.reply.extend_from_slice(data);
            if crate::frontend::parse_answer(&query.reply).is_some() || query.reply.len() > 4096 {
                query.done = true;
                self.answered.notify_one();
            }
            return true;
        }
        // A late answer (or its end) is dropped, never read as keys.
        let late = asked.elapsed() < LATE_ANSWERS
            && [&b"\x1b_G"[..], b"\x1b[?", b"\x1b[6;"]
                .iter()
                .any(|start| data.starts_with(start));
        if asked.elapsed() >= LATE_ANSWERS {
            shown.query = None;
        }
        late
    }

    /// Queues `bytes` (an OSC 52 copy) for the client, replacing a copy not
    /// yet sent: a visitor pressing `y` a million times gets one.
    pub(crate) fn copy(&self, bytes: Vec<u8>) {
        if let Ok(mut shown) = self.shown.lock() {
            shown.copy = Some(bytes);
        }
        self.wake.notify_one();
    }

    /// Ends the visit: the render task gives the client's terminal back and
    /// closes the channel (or, for [`Ending::Gone`], just stops). The first
    /// ending wins.
    pub(crate) fn end(&self, ending: Ending) {
        if let Ok(mut shown) = self.shown.lock()
            && shown.ending.is_none()
        {
            shown.ending = Some(ending);
        }
        self.wake.notify_one();
    }
}

/// What the render task does next.
enum Next {
    Write(Vec<u8>),
    End(Ending),
    Wait,
}

/// One visitor's writes, until the visit ends.
async fn render(viewer: Viewer, handle: Handle, channel: ChannelId, stats: Arc<ConnectionState>) {
    let out = Writer {
        handle: &handle,
        channel,
        stats: &stats,
    };
    if !out.write(ansi::ENTER.to_vec()).await {
        return;
    }
    if !ask_about_graphics(&viewer, &out).await {
        return;
    }
    // A token bucket: each frame takes a token; tokens come back at
    // FRAMES_PER_SECOND, up to FRAME_BURST.
    let mut tokens = FRAME_BURST;
    let mut refilled = Instant::now();
    loop {
        viewer.wake.notified().await;
        tokens = (tokens + refilled.elapsed().as_secs_f64() * FRAMES_PER_SECOND).min(FRAME_BURST);
        refilled = Instant::now();
        if tokens < 1.0 {
            let wait = (1.0 - tokens) / FRAMES_PER_SECOND;
            tokio::time::sleep(Duration::from_secs_f64(wait)).await;
            tokens = 1.0;
            refilled = Instant::now();
        }
        // Copies first, then the frame, until nothing is left to send.
        loop {
            match next(&viewer, &mut tokens) {
                Next::Write(bytes) => {
                    if !out.write(bytes).await {
                        return;
                    }
                }
                Next::End(Ending::Gone) => return,
                Next::End(ending) => {
                    out.goodbye(ending).await;
                    return;
                }
                Next::Wait => break,
            }
        }
    }
}

/// Asks the visitor's terminal which graphics it draws (when asked to),
/// waits for the answer at most [`QUERY_TIMEOUT`], and shows the photo the
/// best way the answer allows (half blocks stay when unsure). False when
/// the client is gone.
async fn ask_about_graphics(viewer: &Viewer, out: &Writer<'_>) -> bool {
    let asking = viewer
        .shown
        .lock()
        .ok()
        .and_then(|mut s| s.query.as_mut().map(|q| q.asked = Some(Instant::now())))
        .is_some();
    if !asking {
        return true;
    }
    if !out
        .write(crate::frontend::GRAPHICS_QUERY.as_bytes().to_vec())
        .await
    {
        return false;
    }
    let _ = tokio::time::timeout(QUERY_TIMEOUT, viewer.answered.notified()).await;
    if let Ok(mut shown) = viewer.shown.lock() {
        let shown = &mut *shown;
        if let Some(query) = shown.query.as_mut() {
            query.done = true;
            let look = crate::frontend::parse_answer(&query.reply)
                .and_then(|a| crate::frontend::graphics_look(&a, &query.term_program, false));
            if let Some(look) = look {
                shown.app.set_photo_look(look);
            }
        }
        shown.dirty = true;
    }
    viewer.wake.notify_one();
    true
}

/// Takes the next thing to send out of the shared state, under the lock.
fn next(viewer: &Viewer, tokens: &mut f64) -> Next {
    let Ok(mut shown) = viewer.shown.lock() else {
        return Next::End(Ending::Gone);
    };
    // Nothing else is sent once the client is gone, nor after a goodbye;
    // a copy made just before quitting still goes out first.
    if shown.ending == Some(Ending::Gone) {
        return Next::End(Ending::Gone);
    }
    if let Some(copy) = shown.copy.take() {
        return Next::Write(copy);
    }
    if let Some(ending) = &shown.ending {
        return Next::End(ending.clone());
    }
    if shown.dirty && *tokens >= 1.0 {
        *tokens -= 1.0;
        shown.dirty = false;
        let shown = &mut *shown;
        return Next::Write(shown.screen.frame(&shown.app));
    }
    if shown.dirty {
        // Out of tokens: come back for this frame after the wait.
        viewer.wake.notify_one();
    }
    Next::Wait
}

/// The one way bytes reach a visitor.
struct Writer<'a> {
    handle: &'a Handle,
    channel: ChannelId,
    stats: &'a ConnectionState,
}

impl Writer<'_> {
    /// Writes `bytes`, waiting while the client is not reading; false when
    /// the channel is gone or the client stalled (and was disconnected).
    async fn write(&self, bytes: Vec<u8>) -> bool {
        self.stats
            .bytes_out
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        match tokio::time::timeout(STALL_LIMIT, self.handle.data(self.channel, bytes)).await {
            Ok(sent) => sent.is_ok(),
            Err(_) => {
                // The connection's task ends the visit (and cuts the socket
                // if the client cannot even be told).
                self.stats.set_reason(Reason::ClientStoppedReading);
                self.stats.stalled.notify_one();
                false
            }
        }
    }

    /// Gives the client's terminal back, says why, and closes the channel
    /// with exit status 0, so that OpenSSH writes it all out before it exits.
    async fn goodbye(&self, ending: Ending) {
        let mut bytes = ansi::LEAVE.to_vec();
        if let Ending::Server(reason) = &ending {
            bytes.extend_from_slice(format!("termfolio: {reason}; goodbye.\r\n").as_bytes());
        }
        let steps = async {
            if self.write(bytes).await {
                let _ = self.handle.exit_status_request(self.channel, 0).await;
                let _ = self.handle.eof(self.channel).await;
                let _ = self.handle.close(self.channel).await;
            }
        };
        let _ = tokio::time::timeout(GOODBYE_LIMIT, steps).await;
    }
}
