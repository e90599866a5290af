//! Where everything goes on a screen of a given size. Pure geometry, below
//! both the model (to scroll, page and hit-test clicks) and the view (to
//! draw); imports neither.

use ratatui::layout::Rect;

/// Below this the viewer says the terminal is too small instead of drawing.
pub(crate) const MIN_WIDTH: u16 = 24;
pub(crate) const MIN_HEIGHT: u16 = 8;

/// At or above this width publications show list and detail side by side.
pub(crate) const SIDE_BY_SIDE_WIDTH: u16 = 96;

/// Rows each publication takes in the list.
pub(crate) const ROWS_PER_PUBLICATION: u16 = 2;

/// The regions of a usable screen: header, tab bar, content, footer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Regions {
    pub header: Rect,
    pub tabs: Rect,
    pub content: Rect,
    pub footer: Rect,
}

/// Splits the screen, or `None` when it is too small to use.
pub(crate) fn screen(area: Rect) -> Option<Regions> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    // Fixed rows top and bottom, the rest for content: plain arithmetic, no
    // constraint solver on the per-frame path.
    let header_rows = if area.height >= 14 { 2 } else { 1 };
    let row = |y: u16, height: u16| Rect { y, height, ..area };
    let content_y = area.y + header_rows + 1;
    let footer_y = area.bottom() - 1;
    Some(Regions {
        header: row(area.y, header_rows),
        tabs: row(area.y + header_rows, 1),
        content: row(content_y, footer_y - content_y),
        footer: row(footer_y, 1),
    })
}

/// Inside a bordered block, with one column of padding on each side.
pub(crate) fn padded_inner(block: Rect) -> Rect {
    Rect {
        x: block.x.saturating_add(2),
        y: block.y.saturating_add(1),
        width: block.width.saturating_sub(4),
        height: block.height.saturating_sub(2),
    }
}

/// Inside a bordered block, no padding.
pub(crate) fn inner(block: Rect) -> Rect {
    Rect {
        x: block.x.saturating_add(1),
        y: block.y.saturating_add(1),
        width: block.width.saturating_sub(2),
        height: block.height.saturating_sub(2),
    }
}

/// Where the Bio tab puts its text and the photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Bio {
    pub text: Rect,
    pub photo: Option<Rect>,
    /// The caption's lines: under the photo beside the text, or beside a
    /// photo above it.
    pub caption: Option<Rect>,
}

/// The Bio tab inside `inner` (its block's padded inside), for a photo of
/// `pixels` (width, height), if any: beside the text on wide screens (never
/// more than a third of the width), above it on narrow ones, left out when
/// there is no room. A cell shows two pixels stacked (half blocks), so a
/// square photo is twice as wide as it is tall in cells.
pub(crate) fn bio(inner: Rect, pixels: Option<(u32, u32)>) -> Bio {
    let none = Bio {
        text: inner,
        ..Bio::default()
    };
    let Some((pw, ph)) = pixels.filter(|&(w, h)| w > 0 && h > 0) else {
        return none;
    };
    // Cells tall for `w` cells wide, keeping the aspect.
    let tall = |w: u16| -> u16 {
        let rows = u64::from(w) * u64::from(ph) / u64::from(pw) / 2;
        u16::try_from(rows).unwrap_or(u16::MAX).max(1)
    };
    let wide = |h: u16| -> u16 {
        let cols = u64::from(h) * 2 * u64::from(pw) / u64::from(ph);
        u16::try_from(cols).unwrap_or(u16::MAX).max(1)
    };
    const GAP: u16 = 2;
    const CAPTION: u16 = 2;
    if inner.width >= 56 && inner.height >= 8 {
        let mut w = (inner.width / 3).saturating_sub(GAP).min(32);
        let mut h = tall(w);
        if h + CAPTION > inner.height {
            h = inner.height - CAPTION;
            w = wide(h).min(w);
            h = tall(w).min(h);
        }
        if w >= 8 {
            return Bio {
                text: Rect {
                    x: inner.x + w + GAP,
                    width: inner.width - w - GAP,
                    ..inner
                },
                photo: Some(Rect {
                    width: w,
                    height: h,
                    ..inner
                }),
                caption: Some(Rect {
                    y: inner.y + h,
                    width: w,
                    height: (inner.height - h).min(CAPTION + 1),
                    ..inner
                }),
            };
        }
    }
    if inner.height >= 18 && inner.width >= 24 {
        let h = (inner.height / 3).min(8);
        let w = wide(h).min(inner.width / 2);
        let h = tall(w).min(h);
        let beside = inner.width.saturating_sub(w + GAP);
        return Bio {
            text: Rect {
                y: inner.y + h + 1,
                height: inner.height - h - 1,
                ..inner
            },
            photo: Some(Rect {
                width: w,
                height: h,
                ..inner
            }),
            caption: (beside >= 12).then_some(Rect {
                x: inner.x + w + GAP,
                width: beside,
                height: h,
                ..inner
            }),
        };
    }
    none
}

/// The publication list's block and the detail's block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Publications {
    pub list: Rect,
    pub detail: Rect,
    pub side_by_side: bool,
}

/// Side by side on wide terminals, stacked on narrow ones; when stacked and
/// the detail is being read, the list shrinks to one item to give it room.
pub(crate) fn publications(content: Rect, detail_focused: bool) -> Publications {
    if content.width >= SIDE_BY_SIDE_WIDTH {
        let list_width = content.width * 42 / 100;
        let list = Rect {
            width: list_width,
            ..content
        };
        let detail = Rect {
            x: content.x + list_width,
            width: content.width - list_width,
            ..content
        };
        Publications {
            list,
            detail,
            side_by_side: true,
        }
    } else {
        // Stacked: the list gets whole items, about 40% of the height.
        let per = ROWS_PER_PUBLICATION;
        let items = if detail_focused {
            1
        } else {
            ((content.height.saturating_sub(2)) * 2 / 5 / per).max(1)
        };
        let list_height = (items * per + 2).min(content.height);
        let list = Rect {
            height: list_height,
            ..content
        };
        let detail = Rect {
            y: content.y + list_height,
            height: content.height - list_height,
            ..content
        };
        Publications {
            list,
            detail,
            side_by_side: false,
        }
    }
}

/// The help overlay: centered, at most 64x(rows needed), inside `area`.
pub(crate) fn help(area: Rect, rows: u16) -> Rect {
    overlay(area, 64, rows)
}

/// The widest the link picker is: room for most URLs on one line.
pub(crate) const PICKER_WIDTH: u16 = 100;

/// The link picker's box on a screen of `area`, for `rows` lines of links
/// wrapped to [`picker_text_width`]; the footer's row stays in sight (it
/// shows the keys, and over SSH the link Enter shows).
pub(crate) fn picker_box(area: Rect, rows: usize) -> Rect {
    let above_footer = Rect {
        height: area.height.saturating_sub(1),
        ..area
    };
    overlay(
        above_footer,
        PICKER_WIDTH,
        u16::try_from(rows).unwrap_or(u16::MAX),
    )
}

/// The width the link picker's entries are wrapped to on a screen of `area`.
pub(crate) fn picker_text_width(area: Rect) -> u16 {
    area.width.min(PICKER_WIDTH).saturating_sub(4)
}

/// A box centered in `area`, at most `max_width` wide and as tall as
/// `rows` lines and its border need.
fn overlay(area: Rect, max_width: u16, rows: u16) -> Rect {
    let width = area.width.min(max_width);
    let height = area.height.min(rows.saturating_add(2));
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// Each tab label's start and end column within a bar `width` wide, and how
/// far the bar is shifted left so that tab `selected` is visible.
pub(crate) fn tab_positions<'a>(
    titles: impl IntoIterator<Item = &'a str>,
    selected: usize,
    width: u16,
) -> (Vec<(usize, usize)>, usize) {
    let mut x = 1;
    let mut spans = Vec::new();
    for title in titles {
        let w = crate::doc::width(title) + 2;
        spans.push((x, x + w));
        x += w + 1;
    }
    let end = spans.get(selected).map_or(0, |&(_, end)| end);
    let shift = end.saturating_sub(usize::from(width));
    (spans, shift)
}

/// The tab under column `column` of the tab bar `area`, for mouse clicks.
pub(crate) fn tab_at<'a>(
    titles: impl IntoIterator<Item = &'a str>,
    selected: usize,
    area: Rect,
    column: u16,
) -> Option<usize> {
    let (spans, shift) = tab_positions(titles, selected, area.width);
    let x = usize::from(column.saturating_sub(area.x)) + shift;
    spans.iter().position(|&(a, b)| (a..b).contains(&x))
}

/// The help overlay's box on a screen of `area`, for a help of `rows` lines
/// once wrapped to [`help_text_width`].
pub(crate) fn help_box(area: Rect, rows: usize) -> Rect {
    help(area, u16::try_from(rows).unwrap_or(u16::MAX))
}

/// The width the help's text is wrapped to on a screen of `area`.
pub(crate) fn help_text_width(area: Rect) -> u16 {
    area.width.min(64).saturating_sub(4)
}

/// Clamps a size reported from outside (a terminal, an SSH client) to what a
/// `Rect` can hold without overflowing: at most 1000x1000 cells.
pub fn clamp_size(columns: u32, rows: u32) -> (u16, u16) {
    const MAX: u32 = 1000;
    (
        u16::try_from(columns.min(MAX)).unwrap_or(0),
        u16::try_from(rows.min(MAX)).unwrap_or(0),
    )
}

/// Clamps a window size sent by an SSH visitor: the sizes the product
/// promises (up to 500x200), so a 65535x65535 request costs what 500x200 does.
#[cfg(feature = "ssh")]
pub(crate) fn clamp_size_for_serve(columns: u32, rows: u32) -> (u16, u16) {
    let (columns, rows) = clamp_size(columns.min(500), rows.min(200));
    // A client that sends no size (0x0) gets a classic terminal's.
    if columns == 0 || rows == 0 {
        (80, 24)
    } else {
        (columns, rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screen_parts_tile_the_screen() {
        for (w, h) in [(24, 8), (80, 24), (120, 40), (1000, 1000)] {
            let area = Rect::new(0, 0, w, h);
            let s = screen(area).unwrap();
            let rows = s.header.height + s.tabs.height + s.content.height + s.footer.height;
            assert_eq!(rows, h);
            assert_eq!(s.footer.bottom(), h);
            let p = publications(s.content, false);
            assert_eq!(p.list.union(p.detail), s.content);
            assert!(p.list.intersection(p.detail).is_empty());
        }
    }

    #[test]
    fn tiny_screens_are_not_split() {
        assert_eq!(screen(Rect::new(0, 0, 1, 1)), None);
        assert_eq!(screen(Rect::new(0, 0, 23, 30)), None);
        assert!(screen(Rect::new(0, 0, 24, 8)).is_some());
    }

    #[test]
    fn publications_side_by_side_only_when_wide() {
        assert!(publications(Rect::new(0, 0, 120, 30), false).side_by_side);
        assert!(!publications(Rect::new(0, 0, 80, 20), false).side_by_side);
    }

    #[test]
    fn sizes_from_outside_are_clamped() {
        assert_eq!(clamp_size(65535, 65535), (1000, 1000));
        assert_eq!(clamp_size(u32::MAX, 0), (1000, 0));
        assert_eq!(clamp_size(80, 24), (80, 24));
        #[cfg(feature = "ssh")]
        {
            assert_eq!(clamp_size_for_serve(65535, 65535), (500, 200));
            assert_eq!(clamp_size_for_serve(0, 0), (80, 24));
        }
    }
}
