//! The `?` overlay's text: one entry per key binding, then the mouse.

use super::{Line, Para, Roles, Span, width, wrap};

/// Width of the keys column when there is room for two columns.
const KEY_COLUMN: usize = 18;

/// The help's lines for `entries` (keys, what they do), wrapped to `width`.
pub(crate) fn lines<'a>(
    entries: impl IntoIterator<Item = (&'a str, &'a str)>,
    width: u16,
) -> Vec<Line> {
    let key_column = if width >= 40 { KEY_COLUMN } else { 0 };
    let entry = |keys: &str, what: &str| {
        if key_column == 0 {
            // Too narrow for columns: the keys on one line, the description under them.
            return vec![
                Para::plain(keys, Roles::KEY),
                Para::hanging(vec![Span::raw("  ")], vec![Span::raw(what)]),
            ];
        }
        let pad = key_column.saturating_sub(self::width(keys));
        vec![Para::hanging(
            vec![Span::new(format!("{keys}{}", " ".repeat(pad)), Roles::KEY)],
            vec![Span::raw(what)],
        )]
    };
    let paras: Vec<Para> = entries.into_iter().flat_map(|(k, w)| entry(k, w)).collect();
    wrap(&paras, usize::from(width))
}
