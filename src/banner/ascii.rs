//! Typographic punctuation as ASCII, for `banner --ascii`: the card written
//! in advance for sshd's pre-login `Banner`, which OpenSSH's client shows
//! byte by byte as octal escapes (`\342\200\234`) outside UTF-8 locales.
//! Only punctuation, spaces and invisible marks change: letters, CJK text
//! (its own fullwidth punctuation included) and emoji stay as written, since
//! no ASCII can stand for them.

use std::borrow::Cow;

/// Each typographic character and the ASCII that stands for it (empty for
/// the invisible ones, which are dropped).
pub(crate) const PUNCTUATION: &[(char, &str)] = &[
    // Quotes and primes.
    ('\u{2018}', "'"),  // ‘
    ('\u{2019}', "'"),  // ’
    ('\u{201A}', "'"),  // ‚
    ('\u{201B}', "'"),  // ‛
    ('\u{2032}', "'"),  // ′
    ('\u{201C}', "\""), // “
    ('\u{201D}', "\""), // ”
    ('\u{201E}', "\""), // „
    ('\u{201F}', "\""), // ‟
    ('\u{2033}', "\""), // ″
    ('\u{2039}', "<"),  // ‹
    ('\u{203A}', ">"),  // ›
    ('\u{00AB}', "<<"), // «
    ('\u{00BB}', ">>"), // »
    // Dashes and minus.
    ('\u{2010}', "-"),  // hyphen
    ('\u{2011}', "-"),  // non-breaking hyphen
    ('\u{2012}', "-"),  // figure dash
    ('\u{2013}', "-"),  // – en dash
    ('\u{2212}', "-"),  // − minus
    ('\u{2014}', "--"), // — em dash
    ('\u{2015}', "--"), // ― horizontal bar
    // Ellipsis and leaders.
    ('\u{2026}', "..."), // …
    ('\u{2025}', ".."),  // ‥
    ('\u{2024}', "."),   // ․
    // Bullets and dots (the card's own ` · ` separator is ` - ` in ASCII).
    ('\u{00B7}', "-"), // · middle dot
    ('\u{2022}', "*"), // • bullet
    ('\u{2023}', "*"), // ‣ triangular bullet
    ('\u{2043}', "-"), // ⁃ hyphen bullet
    ('\u{2219}', "*"), // ∙ bullet operator
    ('\u{2044}', "/"), // ⁄ fraction slash
    // Arrows.
    ('\u{2190}', "<-"),  // ←
    ('\u{2192}', "->"),  // →
    ('\u{2194}', "<->"), // ↔
    ('\u{2191}', "^"),   // ↑
    ('\u{2193}', "v"),   // ↓
    ('\u{21D0}', "<="),  // ⇐
    ('\u{21D2}', "=>"),  // ⇒
    ('\u{21D4}', "<=>"), // ⇔
    ('\u{27F5}', "<-"),  // ⟵
    ('\u{27F6}', "->"),  // ⟶
    ('\u{27F7}', "<->"), // ⟷
    // Spaces: no-break, typographic widths, line and paragraph separators.
    ('\u{00A0}', " "),
    ('\u{2000}', " "),
    ('\u{2001}', " "),
    ('\u{2002}', " "),
    ('\u{2003}', " "),
    ('\u{2004}', " "),
    ('\u{2005}', " "),
    ('\u{2006}', " "),
    ('\u{2007}', " "),
    ('\u{2008}', " "),
    ('\u{2009}', " "), // thin space
    ('\u{200A}', " "), // hair space
    ('\u{202F}', " "), // narrow no-break space
    ('\u{205F}', " "),
    ('\u{2028}', " "),
    ('\u{2029}', " "),
    // Invisible: soft hyphen, zero-width space, word joiner, BOM.
    ('\u{00AD}', ""),
    ('\u{200B}', ""),
    ('\u{2060}', ""),
    ('\u{FEFF}', ""),
];

/// What stands for `c` in ASCII, if it is typographic punctuation.
fn replacement(c: char) -> Option<&'static str> {
    PUNCTUATION
        .iter()
        .find(|(from, _)| *from == c)
        .map(|(_, to)| *to)
}

/// `text` with its typographic punctuation as ASCII (see [`PUNCTUATION`]);
/// everything else as written.
pub(crate) fn punctuation(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| replacement(c).is_some()) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match replacement(c) {
            Some(ascii) => out.push_str(ascii),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_replacement_is_ascii_and_every_source_is_not() {
        for (from, to) in PUNCTUATION {
            assert!(!from.is_ascii(), "{from:?}");
            assert!(to.is_ascii(), "{from:?} -> {to:?}");
            assert!(!to.contains(['\n', '\t']), "{from:?} -> {to:?}");
        }
    }

    #[test]
    fn no_character_is_listed_twice() {
        for (i, (a, _)) in PUNCTUATION.iter().enumerate() {
            assert!(
                PUNCTUATION[i + 1..].iter().all(|(b, _)| a != b),
                "{a:?} listed twice"
            );
        }
    }

    #[test]
    fn typographic_punctuation_becomes_ascii() {
        let cases = [
            (
                "“Convince future generations”",
                "\"Convince future generations\"",
            ),
            ("Tongtian’s talk ‘DSGD’", "Tongtian's talk 'DSGD'"),
            ("17–23 Jul 2022 — ICML", "17-23 Jul 2022 -- ICML"),
            ("and more…", "and more..."),
            ("• talk · slides", "* talk - slides"),
            (
                "train → test ⇒ done ← back",
                "train -> test => done <- back",
            ),
            ("10\u{a0}000\u{2009}km\u{202f}h", "10 000 km h"),
            ("co\u{ad}operate\u{200b}ly", "cooperately"),
            ("«citation» and ‹this›", "<<citation>> and <this>"),
        ];
        for (from, to) in cases {
            assert_eq!(punctuation(from), to, "{from:?}");
        }
    }

    #[test]
    fn names_cjk_and_emoji_stay_as_written() {
        for text in [
            "Tongtian Zhu",
            "Zhū Tóngtiān 😃",
            "朱同天",
            "博士研究生（二年级）🎓",
            "说服后人，而不仅仅是同行。",
            "新しい論文・採択されました！",
            "José Núñez-Müller",
            "👨\u{200d}👩 ❤\u{fe0f}",
        ] {
            assert_eq!(punctuation(text), text);
            assert!(matches!(punctuation(text), Cow::Borrowed(_)), "{text}");
        }
    }

    #[test]
    fn cjk_text_keeps_its_letters_around_replaced_quotes() {
        assert_eq!(
            punctuation("论文“拓扑感知”被接收…"),
            "论文\"拓扑感知\"被接收..."
        );
    }
}
