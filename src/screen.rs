//! A terminal's screen, driven with bytes: the viewer drawn into a buffer,
//! and only the cells that changed since the last frame written out as
//! escape sequences, with OSC 8 around the cells that are links when the
//! terminal takes hyperlinks. The local viewer and every SSH visitor use
//! it; colour and hyperlinks are decided by the caller, nothing here reads
//! an environment.

use std::fmt::Write as _;

use std::sync::Arc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_width::UnicodeWidthStr;

use crate::ansi::{self, sgr};
use crate::app::{App, Model, PhotoLook};
use crate::photo::{Graphic, Payload};
use crate::ui::{self, LinkLayer};

/// What the terminal shows now, as far as we know.
#[derive(Debug, Default)]
pub(crate) struct ClientScreen {
    shown: Option<(Buffer, LinkLayer)>,
    hyperlinks: bool,
    /// The photo as a terminal graphic, where it was written.
    graphic: Option<(Rect, Arc<Graphic>)>,
}

impl ClientScreen {
    /// A screen whose links are OSC 8 hyperlinks when `hyperlinks` is on.
    pub(crate) fn new(hyperlinks: bool) -> Self {
        ClientScreen {
            shown: None,
            hyperlinks,
            graphic: None,
        }
    }

    /// Forgets what the terminal shows (it was cleared or used by another
    /// program): the next frame is drawn whole.
    pub(crate) fn forget(&mut self) {
        self.shown = None;
        self.graphic = None;
    }

    /// The bytes that bring the terminal's screen to `model`'s current view.
    pub(crate) fn frame(&mut self, model: &Model) -> Vec<u8> {
        let area = model.size();
        let mut next = Buffer::empty(area);
        let drawn = ui::render_model(model, area, &mut next);
        let graphic = model
            .viewer()
            .and_then(|app| graphic_of(app, drawn.graphic()));
        let links = if self.hyperlinks {
            drawn
        } else {
            LinkLayer::new(area)
        };
        let mut out = String::new();
        let mut cleared = false;
        let mut previous = match self.shown.take() {
            Some((b, l)) if b.area == area => (b, l),
            _ => {
                // Unknown or resized: clear, then everything that is not blank.
                out.push_str("\x1b[0m\x1b[H\x1b[2J");
                cleared = true;
                (Buffer::empty(area), LinkLayer::new(area))
            }
        };
        // A graphic that goes (or changes) is erased by writing its cells
        // again, whatever they hold now; the new one is written after them.
        let same = match (&self.graphic, &graphic) {
            (Some((a, g)), Some((b, h))) => a == b && Arc::ptr_eq(g, h),
            (None, None) => true,
            _ => false,
        };
        if !same && let Some((old, gone)) = self.graphic.take() {
            // Kitty keeps its images over the text: delete it by its id.
            if let Payload::Kitty { id, .. } = gone.payload {
                let _ = write!(out, "\x1b_Ga=d,d=I,i={id},q=2\x1b\\");
            }
            let old = old.intersection(area);
            for y in old.top()..old.bottom() {
                for x in old.left()..old.right() {
                    previous.0[(x, y)].fg = ratatui::style::Color::Rgb(1, 2, 3);
                }
            }
        }
        let write_graphic = graphic.is_some() && (!same || cleared);
        if previous.1 != links {
            // A cell whose link changed is drawn again even if its text did not.
            for y in area.top()..area.bottom() {
                for x in area.left()..area.right() {
                    if previous.1.at(x, y) != links.at(x, y) {
                        // A colour the view never uses: the cell differs.
                        previous.0[(x, y)].fg = ratatui::style::Color::Rgb(1, 2, 3);
                    }
                }
            }
        }
        let mut style = Style::reset();
        let mut cursor: Option<(u16, u16)> = None;
        let mut link = ansi::LinkState::default();
        out.push_str("\x1b[0m");
        for (x, y, cell) in previous.0.diff(&next) {
            link.switch(&mut out, links.at(x, y));
            if cursor != Some((x, y)) {
                let _ = write!(out, "\x1b[{};{}H", y + 1, x + 1);
            }
            let cell_style = cell.style();
            if cell_style != style {
                out.push_str(&sgr(cell_style));
                style = cell_style;
            }
            let symbol = cell.symbol();
            out.push_str(symbol);
            let width = u16::try_from(symbol.width().max(1)).unwrap_or(1);
            cursor = Some((x.saturating_add(width), y));
        }
        link.switch(&mut out, None);
        out.push_str("\x1b[0m");
        if let Some((at, g)) = graphic.as_ref().filter(|_| write_graphic) {
            write_graphic_at(&mut out, *at, g);
        }
        self.graphic = graphic;
        self.shown = Some((next, links));
        out.into_bytes()
    }
}

/// Writes `graphic` with its top-left corner at `at`'s.
fn write_graphic_at(out: &mut String, at: Rect, graphic: &Graphic) {
    match &graphic.payload {
        Payload::Pieces(pieces) => {
            for (dx, dy, piece) in pieces {
                let _ = write!(out, "\x1b[{};{}H", at.y + dy + 1, at.x + dx + 1);
                out.push_str(piece);
            }
        }
        Payload::Kitty { png, id } => {
            // Transmit and show in one: PNG, base64 in chunks of 4096,
            // scaled to the area's cells, the cursor left where it was.
            let _ = write!(out, "\x1b[{};{}H", at.y + 1, at.x + 1);
            let data = ansi::base64(png);
            let chunks: Vec<&[u8]> = data.as_bytes().chunks(4096).collect();
            for (i, chunk) in chunks.iter().enumerate() {
                let more = u8::from(i + 1 < chunks.len());
                let chunk = std::str::from_utf8(chunk).unwrap_or_default();
                if i == 0 {
                    let _ = write!(
                        out,
                        "\x1b_Ga=T,f=100,t=d,i={id},c={},r={},C=1,q=2,m={more};{chunk}\x1b\\",
                        graphic.size.0, graphic.size.1
                    );
                } else {
                    let _ = write!(out, "\x1b_Gm={more};{chunk}\x1b\\");
                }
            }
        }
    }
    out.push_str("\x1b[0m");
}

/// The photo as the terminal's own graphic, where the view left its room
/// (`shown`: not covered by an overlay).
fn graphic_of(app: &App, shown: Option<Rect>) -> Option<(Rect, Arc<Graphic>)> {
    let at = shown?;
    let (photo, look, _) = app.photo()?;
    let PhotoLook::Graphic { kind, font } = look else {
        return None;
    };
    let graphic = photo.graphic((at.width, at.height), kind, font)?;
    Some((at, graphic))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::app::Action;
    use crate::profile::{self, Source};

    fn app() -> Model {
        let p = profile::parse(profile::BUNDLED, &Source::Bundled).unwrap();
        Model::Viewer(Box::new(App::new(Arc::new(p), true, 80, 24)))
    }

    #[test]
    fn first_frame_is_whole_then_only_changes() {
        let mut screen = ClientScreen::new(false);
        let mut a = app();
        let first = screen.frame(&a);
        assert!(first.starts_with(b"\x1b[0m\x1b[H\x1b[2J"));
        assert!(String::from_utf8_lossy(&first).contains("Tongtian Zhu"));
        let again = screen.frame(&a);
        assert!(again.len() < 20, "nothing changed: {again:?}");
        a.update(Action::NextTab);
        let next = screen.frame(&a);
        assert!(next.len() < first.len());
        a.update(Action::Resize(100, 30));
        let resized = screen.frame(&a);
        assert!(resized.starts_with(b"\x1b[0m\x1b[H\x1b[2J"));
    }

    #[test]
    fn links_are_hyperlinks_only_when_on_and_follow_what_covers_them() {
        let zju = "\x1b]8;id=tf1;https://www.zju.edu.cn/english/\x1b\\";
        let mut off = ClientScreen::new(false);
        assert!(!String::from_utf8_lossy(&off.frame(&app())).contains("\x1b]8"));
        let mut on = ClientScreen::new(true);
        let mut a = app();
        let first = String::from_utf8_lossy(&on.frame(&a)).into_owned();
        assert!(first.contains(zju), "{first:?}");
        assert_eq!(
            first.matches("\x1b]8;id=").count(),
            first.matches(ansi::LINK_END).count(),
            "every link opened is closed"
        );
        // The help covers the links: the cells under it are drawn again,
        // outside any link; closing it brings the links back.
        a.update(Action::ToggleHelp);
        let covered = String::from_utf8_lossy(&on.frame(&a)).into_owned();
        assert!(!covered.contains(zju), "{covered:?}");
        a.update(Action::ToggleHelp);
        let back = String::from_utf8_lossy(&on.frame(&a)).into_owned();
        assert!(back.contains(zju), "{back:?}");
        // Nothing changed: nothing written, no link either.
        assert!(!String::from_utf8_lossy(&on.frame(&a)).contains("\x1b]8"));
    }

    #[test]
    fn a_cell_whose_link_alone_changes_is_written_again() {
        let mut on = ClientScreen::new(true);
        let a = app();
        on.frame(&a);
        // Pretend the terminal's link at the top-left cell of the bio was another.
        if let Some((_, links)) = on.shown.as_mut() {
            *links = LinkLayer::new(a.size());
        }
        let again = String::from_utf8_lossy(&on.frame(&a)).into_owned();
        assert!(
            again.contains("\x1b]8;id=tf1;https://www.zju.edu.cn/english/"),
            "{again:?}"
        );
        assert!(
            !again.contains("Tongtian Zhu  ("),
            "only the link cells: {again:?}"
        );
    }

    #[cfg(feature = "photo")]
    #[test]
    fn a_terminal_graphic_is_written_once_and_erased_when_it_goes() {
        use crate::app::PhotoLook;
        use crate::photo::Graphics;
        for (kind, mark) in [
            (Graphics::Sixel, "\x1bP"),
            (Graphics::Kitty, "\x1b_Ga=T"),
            (Graphics::Iterm2, "\x1b]1337;File="),
        ] {
            let p = profile::parse(profile::BUNDLED, &Source::Bundled).unwrap();
            let photo = crate::photo::locate(&p, &Source::Bundled).unwrap().unwrap();
            let look = PhotoLook::Graphic {
                kind,
                font: (10, 20),
            };
            let mut a = Model::Viewer(Box::new(App::with_photo_at(
                Arc::new(p),
                true,
                100,
                30,
                Some(Arc::new(photo)),
                look,
            )));
            let mut screen = ClientScreen::new(false);
            let first = String::from_utf8_lossy(&screen.frame(&a)).into_owned();
            assert!(first.contains(mark), "{kind:?}: no graphic");
            let again = String::from_utf8_lossy(&screen.frame(&a)).into_owned();
            assert!(!again.contains(mark), "{kind:?}: written twice");
            // Another tab: the photo's cells are written again (erasing it).
            a.update(Action::NextTab);
            let other = String::from_utf8_lossy(&screen.frame(&a)).into_owned();
            assert!(!other.contains(mark), "{kind:?}");
            if kind == Graphics::Kitty {
                assert!(other.contains("\x1b_Ga=d,d=I,"), "kitty's image deleted");
            }
            assert!(
                other.contains("\x1b[6;3H"),
                "{kind:?}: the photo's first cell rewritten: {other:?}"
            );
            a.update(Action::PrevTab);
            let back = String::from_utf8_lossy(&screen.frame(&a)).into_owned();
            assert!(back.contains(mark), "{kind:?}: not shown again");
            // The help over it hides it; a resize redraws it.
            a.update(Action::ToggleHelp);
            assert!(!String::from_utf8_lossy(&screen.frame(&a)).contains(mark));
            a.update(Action::ToggleHelp);
            assert!(String::from_utf8_lossy(&screen.frame(&a)).contains(mark));
            a.update(Action::Resize(90, 28));
            assert!(String::from_utf8_lossy(&screen.frame(&a)).contains(mark));
        }
    }
}
