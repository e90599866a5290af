//! One visitor: their own `App` and `ClientScreen`, driven by the bytes of their
//! SSH channel. Anyone gets in; nobody gets further than the viewer or the
//! card: no shell, no exec, no subsystems, no forwarding of any kind.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use russh::server::{Auth, ChannelOpenHandle, Handler, Msg, Session};
use russh::{Channel, ChannelId, Pty};

use super::Shared;
use super::admission::Permit;
use super::connection::{ConnectionState, Reason};
use super::input::{self, Decoder};
use super::view::{Ending, Visit};
use crate::ansi;
use crate::app::{Action, App, Directory, Model, PhotoLook};
use crate::banner;
use crate::cli::ColorChoice;
use crate::frontend::{self, ColorEnv, Effects};
use crate::layout;
use crate::profile::sanitize;

/// The terminal a client asked for.
#[derive(Debug, Clone)]
struct PtyInfo {
    term: String,
    columns: u16,
    rows: u16,
}

/// The handler russh calls for one connection.
pub(crate) struct Visitor {
    shared: Arc<Shared>,
    peer: SocketAddr,
    stats: Arc<ConnectionState>,
    permit: Arc<Permit>,
    channel: Option<ChannelId>,
    pty: Option<PtyInfo>,
    no_color: bool,
    /// `TERM_PROGRAM`, `TERM_PROGRAM_VERSION` and `COLORTERM`, when the
    /// client sent them.
    term_program: Option<String>,
    colorterm: Option<String>,
    term_program_version: Option<String>,
    /// The running viewer: its owner. Dropping it (when the visitor leaves,
    /// however they leave, this handler is dropped too) ends the visit.
    viewer: Option<Visit>,
    decoder: Decoder,
    started: Instant,
    /// The user name the client logged in as (with `--profiles`, whose
    /// profile to show).
    user: String,
}

impl Visitor {
    pub(super) fn new(
        shared: Arc<Shared>,
        peer: SocketAddr,
        stats: Arc<ConnectionState>,
        permit: Arc<Permit>,
        started: Instant,
    ) -> Self {
        Visitor {
            shared,
            peer,
            stats,
            permit,
            channel: None,
            pty: None,
            no_color: false,
            term_program: None,
            colorterm: None,
            term_program_version: None,
            viewer: None,
            decoder: Decoder::default(),
            started,
            user: String::new(),
        }
    }

    /// Any user name and any of the offered methods gets in, if there is room.
    fn admit(&mut self, user: &str) -> Auth {
        // Kept as sent (bounded); the log quotes and escapes it.
        self.user = user.chars().take(65).collect::<String>();
        if let Ok(mut u) = self.stats.user.lock() {
            *u = user.chars().take(64).collect::<String>();
        }
        self.stats.authenticated.store(true, Ordering::Relaxed);
        // When there is no room, the place is given up at once; the client
        // is told why when it asks for a session, and closed soon after.
        let room = self.permit.promote();
        self.stats.admitted.store(room, Ordering::Relaxed);
        Auth::Accept
    }

    fn colour(&self) -> bool {
        let term = self.pty.as_ref().map(|p| p.term.as_str());
        frontend::color(ColorChoice::Auto, ColorEnv::of_visitor(term, self.no_color))
    }

    /// Whether this visitor's links are OSC 8 hyperlinks: `--hyperlinks`,
    /// and under `auto` what their TERM and TERM_PROGRAM say.
    fn hyperlinks(&self) -> bool {
        let env = frontend::TerminalEnv::of_visitor(
            self.pty.as_ref().map(|p| p.term.as_str()),
            self.term_program.as_deref(),
            self.term_program_version.as_deref(),
        );
        frontend::hyperlinks(self.shared.options.hyperlinks, &env)
    }

    /// Sends `bytes` to the client, counting them.
    fn send(&self, session: &mut Session, channel: ChannelId, bytes: Vec<u8>) {
        self.stats
            .bytes_out
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        let _ = session.data(channel, bytes);
    }

    /// The login card, then exit status 0 and close: for `ssh -T` and exec
    /// requests. In a lab, a member's name gets their card and any other
    /// name the directory as plain text.
    fn card_and_close(&mut self, channel: ChannelId, session: &mut Session) {
        let width = self.pty.as_ref().map_or(80, |p| usize::from(p.columns));
        let width = width.clamp(1, banner::MAX_WIDTH);
        let profile = match &self.shared.lab {
            None => Some(Arc::clone(&self.shared.current().profile)),
            Some(lab) => lab.member(&self.user).and_then(|m| m.profile),
        };
        let text = match (&profile, &self.shared.lab) {
            (Some(profile), _) => banner::render(
                profile,
                &banner::Options {
                    width,
                    news: 3,
                    color: self.pty.is_some() && self.colour(),
                    unicode: true,
                    hint: banner::Hint::Ssh,
                    hyperlinks: self.shared.options.hyperlinks
                        == crate::cli::HyperlinkChoice::Always,
                },
            ),
            (None, Some(lab)) => {
                let rows: Vec<_> = lab
                    .members()
                    .iter()
                    .map(|m| crate::doc::directory::Row::of(&m.login, m.profile.as_deref()))
                    .collect();
                crate::doc::directory::plain(&rows, width)
            }
            (None, None) => String::new(),
        };
        // Raw terminals on the other side need carriage returns.
        let text = text.replace('\n', "\r\n");
        self.send(session, channel, text.into_bytes());
        self.finish(channel, session);
    }

    fn finish(&mut self, channel: ChannelId, session: &mut Session) {
        let _ = session.exit_status_request(channel, 0);
        let _ = session.eof(channel);
        let _ = session.close(channel);
    }

    /// Answers a request on the session channel: success if it is ours and
    /// nothing runs on it yet, else failure (and false).
    fn answer(&self, channel: ChannelId, session: &mut Session) -> bool {
        let ok = self.ours(channel) && self.viewer.is_none();
        let _ = if ok {
            session.channel_success(channel)
        } else {
            session.channel_failure(channel)
        };
        ok
    }

    /// When there was no room for this visitor: says so, closes, and true.
    fn refused_when_full(&mut self, channel: ChannelId, session: &mut Session) -> bool {
        if self.stats.admitted.load(Ordering::Relaxed) {
            return false;
        }
        self.stats.set_reason(Reason::ServerFull);
        self.refuse_full(channel, session);
        true
    }

    fn refuse_full(&mut self, channel: ChannelId, session: &mut Session) {
        let msg = "termfolio: too many visitors right now; please try again later.\r\n";
        self.send(session, channel, msg.as_bytes().to_vec());
        let _ = session.exit_status_request(channel, 1);
        let _ = session.eof(channel);
        let _ = session.close(channel);
    }

    /// The visit is over on our side: no more frames.
    fn drop_viewer(&mut self) -> Option<Visit> {
        self.stats.set_viewer(None);
        self.viewer.take()
    }

    fn ours(&self, channel: ChannelId) -> bool {
        self.channel == Some(channel)
    }
}

impl Handler for Visitor {
    type Error = russh::Error;

    async fn auth_none(&mut self, user: &str) -> Result<Auth, Self::Error> {
        Ok(self.admit(user))
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        _key: russh::server::VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(self.admit(user))
    }

    async fn auth_keyboard_interactive<'a>(
        &'a mut self,
        user: &str,
        _submethods: &str,
        _response: Option<russh::server::Response<'a>>,
    ) -> Result<Auth, Self::Error> {
        Ok(self.admit(user))
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        // One session channel per connection. The `Channel` object is dropped:
        // its data arrives through `data` below, never queued unread.
        if self.channel.is_none() {
            self.channel = Some(channel.id());
            reply.accept().await;
        } else {
            reply
                .reject(russh::ChannelOpenFailure::AdministrativelyProhibited)
                .await;
        }
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if !self.answer(channel, session) {
            return Ok(());
        }
        let (columns, rows) = layout::clamp_size_for_serve(col_width, row_height);
        self.pty = Some(PtyInfo {
            term: sanitize::line(&term.chars().take(64).collect::<String>()),
            columns,
            rows,
        });
        Ok(())
    }

    async fn env_request(
        &mut self,
        _channel: ChannelId,
        name: &str,
        value: &str,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        // Only these mean anything here; nothing reaches an environment.
        let bounded = || Some(sanitize::line(&value.chars().take(64).collect::<String>()));
        match name {
            "NO_COLOR" if !value.is_empty() => self.no_color = true,
            "TERM_PROGRAM" => self.term_program = bounded(),
            "TERM_PROGRAM_VERSION" => self.term_program_version = bounded(),
            "COLORTERM" => self.colorterm = bounded(),
            _ => {}
        }
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if !self.answer(channel, session) || self.refused_when_full(channel, session) {
            return Ok(());
        }
        let Some(pty) = self.pty.clone() else {
            self.stats.set_reason(Reason::CardNoPty);
            self.card_and_close(channel, session);
            return Ok(());
        };
        let colour = self.colour();
        // The photo in half blocks (what every terminal shows), in true
        // colour only when the visitor's terminal says it takes it.
        let look = if colour {
            PhotoLook::Drawn {
                truecolor: frontend::truecolor(Some(&pty.term), self.colorterm.as_deref()),
            }
        } else {
            PhotoLook::Off
        };
        // The profile (or the lab) served now: this visitor keeps it until
        // they leave, whatever a reload brings the next ones.
        let (model, photo) = match &self.shared.lab {
            None => {
                let served = self.shared.current();
                let app = App::with_photo_at(
                    Arc::clone(&served.profile),
                    colour,
                    pty.columns,
                    pty.rows,
                    served.photo.clone(),
                    look,
                );
                (Model::Viewer(Box::new(app)), served.photo.is_some())
            }
            Some(lab) => {
                let members = lab.members();
                let photo = members.iter().any(|m| m.photo.is_some());
                let mut directory = Directory::new(members, colour, pty.columns, pty.rows, look);
                directory.open(&self.user);
                (Model::Directory(Box::new(directory)), photo)
            }
        };
        // The visitor's terminal is asked about graphics when a photo is to
        // be drawn there (colour on, a terminal worth asking).
        let ask = (matches!(look, PhotoLook::Drawn { .. })
            && photo
            && crate::photo::Photo::drawable()
            && frontend::may_ask_for_graphics(&pty.term))
        .then(|| self.term_program.clone().unwrap_or_default());
        let visit = Visit::start(
            model,
            self.hyperlinks(),
            ask,
            session.handle(),
            channel,
            Arc::clone(&self.stats),
        );
        self.stats.set_viewer(Some(visit.viewer().clone()));
        self.viewer = Some(visit);
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _command: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        // Nothing runs: whatever was asked, the answer is the card.
        if !self.answer(channel, session) || self.refused_when_full(channel, session) {
            return Ok(());
        }
        self.stats.set_reason(Reason::CardExecRefused);
        self.card_and_close(channel, session);
        Ok(())
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.stats.set_reason(Reason::SubsystemRefused);
        let _ = session.channel_failure(channel);
        let _ = session.close(channel);
        Ok(())
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _x11_auth_protocol: &str,
        _x11_auth_cookie: &str,
        _x11_screen_number: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let _ = session.channel_failure(channel);
        Ok(())
    }

    async fn agent_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<bool, Self::Error> {
        let _ = session.channel_failure(channel);
        Ok(false)
    }

    async fn tcpip_forward(
        &mut self,
        _address: &str,
        _port: &mut u32,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        Ok(false)
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if !self.ours(channel) {
            return Ok(());
        }
        let (columns, rows) = layout::clamp_size_for_serve(col_width, row_height);
        if let Some(p) = self.pty.as_mut() {
            p.columns = columns;
            p.rows = rows;
        }
        if let Some(v) = &self.viewer {
            v.viewer()
                .update(|app| app.update(Action::Resize(columns, rows)));
        }
        Ok(())
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.stats
            .bytes_in
            .fetch_add(data.len() as u64, Ordering::Relaxed);
        if !self.ours(channel) {
            return Ok(());
        }
        self.stats.touch(self.started.elapsed());
        let Some(viewer) = self.viewer.as_ref().map(|v| v.viewer().clone()) else {
            return Ok(());
        };
        // The terminal's answer to the graphics query is not keys.
        if viewer.answer(data) {
            return Ok(());
        }
        let mut inputs = self.decoder.feed(data);
        // A read that ends in a lone ESC was the Esc key: clients send a
        // whole sequence in one packet.
        inputs.extend(self.decoder.flush_lone_escape());
        let outcome = viewer.update(|app| {
            let mut quit = false;
            for input in inputs {
                match input {
                    input::Input::Key(k) => app.on_key(&k),
                    input::Input::Action(a) => app.update(a),
                }
                if app.should_quit() {
                    quit = true;
                    break;
                }
            }
            // Links are never opened on the server (the model shows them);
            // a copy goes to the visitor's clipboard, the newest one only.
            let mut sink = VisitorEffects::default();
            if let Some(viewer) = app.viewer_mut() {
                let _ = frontend::apply_effects(viewer, &mut sink);
            }
            let copy = sink.copy;
            (copy, quit)
        });
        let Some((copy, quit)) = outcome else {
            return Ok(());
        };
        if let Some(text) = copy {
            viewer.copy(ansi::osc52(&text).into_bytes());
        }
        if quit {
            self.stats.set_reason(Reason::Quit);
            if let Some(v) = self.drop_viewer() {
                v.end(Ending::Quit);
            }
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.ours(channel) && self.drop_viewer().is_some() {
            self.stats.set_reason(Reason::ClientClosed);
            let _ = session.close(channel);
        }
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.ours(channel) {
            self.drop_viewer();
        }
        Ok(())
    }
}

/// A visitor's effects, gathered while the model is locked: the newest copy
/// (sent after, through the visit's one write path); links are never opened
/// on the server.
#[derive(Default)]
struct VisitorEffects {
    copy: Option<String>,
}

impl Effects for VisitorEffects {
    fn copy(&mut self, text: &str) -> std::io::Result<()> {
        self.copy = Some(text.to_string());
        Ok(())
    }

    fn open(&mut self, _url: &str) -> std::io::Result<&'static str> {
        Err(std::io::ErrorKind::Unsupported.into())
    }
}

impl std::fmt::Debug for Visitor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Visitor").field("peer", &self.peer).finish()
    }
}
