//! Which cells of a drawn screen are which link: ratatui's cells carry no
//! hyperlink, so the view fills this layer beside the buffer, and the front
//! ends that write bytes (the terminal, SSH visitors, `snapshot --ansi`)
//! wrap those cells in OSC 8. Every piece of a wrapped link has the same
//! number, so a terminal treats the pieces as one link.

use ratatui::layout::Rect;

/// The links on a screen: per cell, a number (0: none; n: `urls[n - 1]`);
/// and where the photo shows as a terminal graphic, which the cells do not
/// hold either.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkLayer {
    area: Rect,
    /// Empty until the first link is drawn.
    cells: Vec<u16>,
    urls: Vec<String>,
    graphic: Option<Rect>,
}

impl LinkLayer {
    /// A layer for a screen of `area`, with no link yet.
    pub fn new(area: Rect) -> Self {
        LinkLayer {
            area,
            cells: Vec::new(),
            urls: Vec::new(),
            graphic: None,
        }
    }

    /// The photo shows as a terminal graphic in `area` (its cells are blank).
    pub(crate) fn show_graphic(&mut self, area: Rect) {
        self.graphic = Some(area);
    }

    /// Where the photo shows as a terminal graphic, if it does.
    pub fn graphic(&self) -> Option<Rect> {
        self.graphic
    }

    /// Whether no cell is a link.
    pub fn is_empty(&self) -> bool {
        self.urls.is_empty()
    }

    /// The link at a cell: its number on this screen and its URL.
    pub fn at(&self, x: u16, y: u16) -> Option<(u16, &str)> {
        let i = self.index(x, y)?;
        let n = *self.cells.get(i)?;
        let url = self.urls.get(usize::from(n).checked_sub(1)?)?;
        Some((n, url))
    }

    /// Marks `width` cells from (`x`, `y`) as the link to `url`.
    pub(crate) fn mark(&mut self, x: u16, y: u16, width: u16, url: &str) {
        let n = match self.urls.iter().position(|u| u == url) {
            Some(i) => i + 1,
            None => {
                self.urls.push(url.to_string());
                self.urls.len()
            }
        };
        let Ok(n) = u16::try_from(n) else { return };
        if self.cells.is_empty() {
            self.cells = vec![0; usize::from(self.area.width) * usize::from(self.area.height)];
        }
        for dx in 0..width {
            if let Some(i) = self.index(x.saturating_add(dx), y) {
                self.cells[i] = n;
            }
        }
    }

    /// No link under `area` (an overlay is drawn there).
    pub(crate) fn clear(&mut self, area: Rect) {
        // An overlay over any of the photo hides all of it.
        if self.graphic.is_some_and(|g| g.intersects(area)) {
            self.graphic = None;
        }
        if self.cells.is_empty() {
            return;
        }
        let area = area.intersection(self.area);
        for y in area.top()..area.bottom() {
            for x in area.left()..area.right() {
                if let Some(i) = self.index(x, y) {
                    self.cells[i] = 0;
                }
            }
        }
    }

    fn index(&self, x: u16, y: u16) -> Option<usize> {
        let inside =
            x >= self.area.x && y >= self.area.y && x < self.area.right() && y < self.area.bottom();
        inside.then(|| {
            usize::from(y - self.area.y) * usize::from(self.area.width)
                + usize::from(x - self.area.x)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_clears_and_numbers_by_url() {
        let mut l = LinkLayer::new(Rect::new(0, 0, 10, 3));
        assert!(l.is_empty() && l.at(0, 0).is_none());
        l.mark(8, 0, 5, "https://a");
        l.mark(0, 1, 2, "https://a");
        l.mark(3, 2, 1, "https://b");
        assert_eq!(l.at(9, 0), Some((1, "https://a")));
        assert_eq!(l.at(1, 1), Some((1, "https://a")));
        assert_eq!(l.at(3, 2), Some((2, "https://b")));
        assert_eq!(l.at(2, 1), None);
        assert_eq!(l.at(10, 0), None, "clipped at the edge");
        l.clear(Rect::new(0, 0, 10, 2));
        assert_eq!(l.at(9, 0), None);
        assert_eq!(l.at(3, 2), Some((2, "https://b")));
    }
}
