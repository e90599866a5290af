//! Which link targets may be drawn as links, opened or copied: one table of
//! schemes, and for each the query parameters it may carry. Everything else
//! is shown as inert text. `mailto:` keeps the address and the message's
//! text fields, never `attach=` and the like, which some mail clients honour
//! by attaching a local file (`mailto:a@b.c?attach=/etc/passwd`).

/// A scheme we pass on, whether a host (`//`) must follow it, and the query
/// parameters it may carry (`None`: any).
struct Scheme {
    name: &'static str,
    host: bool,
    parameters: Option<&'static [&'static str]>,
}

const SCHEMES: &[Scheme] = &[
    Scheme {
        name: "http",
        host: true,
        parameters: None,
    },
    Scheme {
        name: "https",
        host: true,
        parameters: None,
    },
    Scheme {
        name: "mailto",
        host: false,
        parameters: Some(&["subject", "body", "cc", "bcc"]),
    },
];

/// Why a link target is not passed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refused {
    /// Its scheme is not in the table (`javascript:`, `file:`, none at all).
    Scheme,
    /// It carries a query parameter its scheme may not have.
    Parameter(String),
}

/// The schemes in the table, for messages: "http, https and mailto".
pub(crate) fn schemes() -> String {
    let names: Vec<&str> = SCHEMES.iter().map(|s| s.name).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// Whether `url` may be drawn as a link, opened or copied.
pub(crate) fn check(url: &str) -> Result<(), Refused> {
    let url = url.trim_start();
    let (name, rest) = url.split_once(':').ok_or(Refused::Scheme)?;
    let scheme = SCHEMES
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case(name))
        .ok_or(Refused::Scheme)?;
    if scheme.host && !rest.starts_with("//") {
        return Err(Refused::Scheme);
    }
    let Some(allowed) = scheme.parameters else {
        return Ok(());
    };
    let query = rest.split_once('?').map_or("", |(_, q)| q);
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let key = percent_decoded(pair.split_once('=').map_or(pair, |(k, _)| k));
        if !allowed.iter().any(|a| a.eq_ignore_ascii_case(&key)) {
            return Err(Refused::Parameter(key));
        }
    }
    Ok(())
}

/// Whether `url` may be drawn as a link, opened or copied.
pub(crate) fn allowed(url: &str) -> bool {
    check(url).is_ok()
}

/// `url` as a terminal may be given it (in an OSC 8 hyperlink): every byte
/// outside printable ASCII (controls, space, DEL, and each byte of a
/// non-ASCII character) percent-encoded, so nothing in it can end or
/// escape the sequence. Only for targets [`check`] allows.
pub(crate) fn for_terminal(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for &b in url.trim().as_bytes() {
        if (0x21..0x7f).contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `text` with `%XX` escapes decoded (so `%61ttach` is seen as `attach`);
/// bytes that do not form UTF-8 are replaced.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push(u8::try_from(hi * 16 + lo).unwrap_or(b'?'));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_links_and_plain_mail_pass() {
        for url in [
            "https://x.org",
            "HTTP://X",
            "http://a.b/c?d=e&attach=fine-on-the-web",
            "mailto:a@b.c",
            "mailto:a@b.c?subject=Hi&body=Hello%20there",
            "MAILTO:a@b.c?CC=d@e.f&bcc=g@h.i",
        ] {
            assert_eq!(check(url), Ok(()), "{url}");
        }
    }

    #[test]
    fn other_schemes_are_refused() {
        for url in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "data:text/html,x",
            "ssh://h",
            "https:relative",
            "no scheme",
            "",
        ] {
            assert_eq!(check(url), Err(Refused::Scheme), "{url}");
        }
    }

    #[test]
    fn mail_that_would_attach_a_file_is_refused() {
        for (url, key) in [
            ("mailto:a@b.c?attach=/etc/passwd", "attach"),
            (
                "mailto:a@b.c?subject=x&attachment=~/.ssh/id_ed25519",
                "attachment",
            ),
            ("mailto:a@b.c?%61ttach=/etc/passwd", "attach"),
            ("mailto:a@b.c?ATTACH=/etc/passwd", "ATTACH"),
            ("mailto:a@b.c?x-attach=1", "x-attach"),
        ] {
            assert_eq!(check(url), Err(Refused::Parameter(key.into())), "{url}");
        }
    }

    #[test]
    fn terminal_form_is_printable_ascii_only() {
        let url = "https://a.b/智源 x\u{1b}]8;;\u{7}\u{9c}\u{7f}?q=1";
        let encoded = for_terminal(url);
        assert!(
            encoded.bytes().all(|b| (0x21..0x7f).contains(&b)),
            "{encoded}"
        );
        assert_eq!(
            encoded,
            "https://a.b/%E6%99%BA%E6%BA%90%20x%1B]8;;%07%C2%9C%7F?q=1"
        );
        assert_eq!(for_terminal("https://x.org/a%20b"), "https://x.org/a%20b");
    }

    #[test]
    fn the_schemes_read_as_a_list() {
        assert_eq!(schemes(), "http, https and mailto");
    }
}
