//! A visitor's viewer over SSH: the model lives behind a lock that the
//! handler updates (cheap: keys, clicks, resizes), and one render task per
//! visitor turns it into frames. Frames are coalesced (many events, one
//! frame), rate-limited, and written one at a time, waiting for the client:
//! a client that stops reading holds at most one frame and is disconnected
//! after a while, and a resize flood costs at most one frame per interval.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::ChannelId;
use russh::server::Handle;
use tokio::sync::Notify;

use super::Stats;
use super::screen::{self, Screen};
use crate::app::App;

/// Frames per second a visitor gets when events pour in (resize floods,
/// held keys); a few frames may come at once so that a key is never delayed.
const FRAMES_PER_SECOND: f64 = 60.0;
const FRAME_BURST: f64 = 4.0;
/// A client that has not taken a frame for this long is disconnected.
const STALL_LIMIT: Duration = Duration::from_secs(20);

/// How a visit ends, for the goodbye.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// The visitor quit.
    Quit,
    /// The server ends it, for this reason (idle, time limit, stopping).
    Server(String),
}

/// The model and what the client shows, shared by handler and render task.
pub struct Shown {
    pub app: App,
    screen: Screen,
    dirty: bool,
    ending: Option<Ending>,
}

/// The handler's side of a running viewer.
#[derive(Clone)]
pub struct Viewer {
    shown: Arc<Mutex<Shown>>,
    wake: Arc<Notify>,
}

impl Viewer {
    /// Starts the render task for `app` on `channel`.
    pub fn start(app: App, handle: Handle, channel: ChannelId, stats: Arc<Stats>) -> Viewer {
        let viewer = Viewer {
            shown: Arc::new(Mutex::new(Shown {
                app,
                screen: Screen::default(),
                dirty: true,
                ending: None,
            })),
            wake: Arc::new(Notify::new()),
        };
        let task = tokio::spawn(render(
            viewer.clone(),
            handle.clone(),
            channel,
            stats.clone(),
        ));
        // A panic in this visitor's rendering ends this visitor only, at once.
        tokio::spawn(async move {
            if task.await.is_err_and(|e| e.is_panic()) {
                stats.set_reason("internal error (panic) in this session");
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
        viewer
    }

    /// Changes the model under the lock and asks for a frame.
    pub fn update<R>(&self, change: impl FnOnce(&mut App) -> R) -> Option<R> {
        let result = {
            let mut shown = self.shown.lock().ok()?;
            shown.dirty = true;
            change(&mut shown.app)
        };
        self.wake.notify_one();
        Some(result)
    }

    /// Ends the visit: the render task restores the client's terminal, says
    /// why if the server ended it, and closes the channel.
    pub fn end(&self, ending: Ending) {
        if let Ok(mut shown) = self.shown.lock()
            && shown.ending.is_none()
        {
            shown.ending = Some(ending);
        }
        self.wake.notify_one();
    }
}

/// One visitor's frames, until the visit ends.
async fn render(viewer: Viewer, handle: Handle, channel: ChannelId, stats: Arc<Stats>) {
    let _ = send(&handle, channel, screen::ENTER.to_vec(), &stats).await;
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
        let (frame, ending) = {
            let Ok(mut shown) = viewer.shown.lock() else {
                return;
            };
            let ending = shown.ending.take();
            let frame = if ending.is_none() && shown.dirty {
                shown.dirty = false;
                let shown = &mut *shown;
                Some(shown.screen.frame(&shown.app))
            } else {
                None
            };
            (frame, ending)
        };
        if let Some(ending) = ending {
            goodbye(&handle, channel, ending, &stats).await;
            return;
        }
        if let Some(frame) = frame {
            tokens -= 1.0;
            match tokio::time::timeout(STALL_LIMIT, send(&handle, channel, frame, &stats)).await {
                Ok(true) => {}
                Ok(false) => return,
                Err(_) => {
                    stats.set_reason("client stopped reading");
                    let _ = tokio::time::timeout(
                        Duration::from_secs(1),
                        handle.disconnect(
                            russh::Disconnect::ByApplication,
                            "client stopped reading".into(),
                            "en".into(),
                        ),
                    )
                    .await;
                    return;
                }
            }
        }
    }
}

/// Writes bytes to the client, waiting while it is not reading; false when
/// the channel is gone.
async fn send(handle: &Handle, channel: ChannelId, bytes: Vec<u8>, stats: &Stats) -> bool {
    stats
        .bytes_out
        .fetch_add(bytes.len() as u64, Ordering::Relaxed);
    handle.data(channel, bytes).await.is_ok()
}

/// Gives the client's terminal back, says why, and closes the channel with
/// exit status 0, so that OpenSSH writes it all out before it exits.
async fn goodbye(handle: &Handle, channel: ChannelId, ending: Ending, stats: &Stats) {
    let mut bytes = screen::LEAVE.to_vec();
    if let Ending::Server(reason) = &ending {
        bytes.extend_from_slice(format!("termfolio: {reason}; goodbye.\r\n").as_bytes());
    }
    let steps = async {
        send(handle, channel, bytes, stats).await;
        let _ = handle.exit_status_request(channel, 0).await;
        let _ = handle.eof(channel).await;
        let _ = handle.close(channel).await;
    };
    let _ = tokio::time::timeout(Duration::from_secs(2), steps).await;
}
