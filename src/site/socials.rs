//! The social keys of al-folio's `_config.yml` and `_data/socials.yml`, and
//! the links al-folio's own templates make of them (`_includes/social.liquid`
//! before the socials moved to `_data/`, and the `jekyll-socials` plugin
//! after): one table, in the order al-folio shows them.

use super::Yaml;

/// How a social's value becomes a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// The value put where `{}` is.
    Template(&'static str),
    /// The value is the link (a relative one is on the site).
    Url,
    /// The value is the link when it has a scheme, else as `Template`.
    UrlOr(&'static str),
    /// A file in the site's `assets/img/` (`wechat_qr`).
    Image,
}

/// A social key, the label it has in `[person.links]`, and its link.
struct Social {
    key: &'static str,
    label: &'static str,
    target: Target,
}

const fn social(key: &'static str, label: &'static str, target: Target) -> Social {
    Social { key, label, target }
}

use Target::{Image, Template as T, Url, UrlOr};

/// Every social key al-folio knows, in the order its templates show them.
const SOCIALS: &[Social] = &[
    social("email", "email", T("{}")),
    social("telegram_username", "telegram", T("https://telegram.me/{}")),
    social("whatsapp_number", "whatsapp", T("https://wa.me/{}")),
    social("orcid_id", "orcid", T("https://orcid.org/{}")),
    social(
        "scholar_userid",
        "scholar",
        T("https://scholar.google.com/citations?user={}"),
    ),
    social(
        "semanticscholar_id",
        "semantic_scholar",
        T("https://www.semanticscholar.org/author/{}"),
    ),
    social("publons_id", "publons", T("https://publons.com/a/{}/")),
    social("lattes_id", "lattes", T("http://lattes.cnpq.br/{}")),
    social("osf_id", "osf", T("https://osf.io/{}/")),
    social(
        "research_gate_profile",
        "researchgate",
        T("https://www.researchgate.net/profile/{}/"),
    ),
    social(
        "scopus_id",
        "scopus",
        T("https://www.scopus.com/authid/detail.uri?authorId={}"),
    ),
    social("github_username", "github", T("https://github.com/{}")),
    social(
        "linkedin_username",
        "linkedin",
        T("https://www.linkedin.com/in/{}"),
    ),
    social("twitter_username", "twitter", T("https://twitter.com/{}")),
    social("x_username", "x", T("https://twitter.com/{}")),
    social("mastodon_username", "mastodon", T("https://{}")),
    social("medium_username", "medium", T("https://medium.com/@{}")),
    social(
        "quora_username",
        "quora",
        T("https://www.quora.com/profile/{}"),
    ),
    social("flickr_id", "flickr", T("https://www.flickr.com/{}")),
    social("blogger_url", "blogger", Url),
    social("work_url", "work", Url),
    social(
        "wikidata_id",
        "wikidata",
        T("https://www.wikidata.org/wiki/{}"),
    ),
    social(
        "wikipedia_id",
        "wikipedia",
        T("https://wikipedia.org/wiki/User:{}"),
    ),
    social(
        "strava_userid",
        "strava",
        T("https://www.strava.com/athletes/{}"),
    ),
    social("keybase_username", "keybase", T("https://keybase.io/{}")),
    social("gitlab_username", "gitlab", T("https://gitlab.com/{}")),
    social("dblp_url", "dblp", Url),
    social(
        "stackoverflow_id",
        "stackoverflow",
        T("https://stackoverflow.com/users/{}"),
    ),
    social("kaggle_id", "kaggle", T("https://www.kaggle.com/{}")),
    social("lastfm_id", "lastfm", T("https://www.last.fm/user/{}")),
    social(
        "spotify_id",
        "spotify",
        T("https://open.spotify.com/user/{}"),
    ),
    social(
        "pinterest_id",
        "pinterest",
        T("https://www.pinterest.com/{}"),
    ),
    social("unsplash_id", "unsplash", T("https://unsplash.com/@{}")),
    social("instagram_id", "instagram", T("https://instagram.com/{}")),
    social("facebook_id", "facebook", T("https://facebook.com/{}")),
    social(
        "bluesky_url",
        "bluesky",
        UrlOr("https://bsky.app/profile/{}"),
    ),
    social("youtube_id", "youtube", T("https://youtube.com/@{}")),
    social("discord_id", "discord", T("https://discord.com/users/{}")),
    social("zotero_username", "zotero", T("https://www.zotero.org/{}")),
    social(
        "inspirehep_id",
        "inspire",
        T("https://inspirehep.net/authors/{}"),
    ),
    social("acm_id", "acm", T("https://dl.acm.org/profile/{}/")),
    social(
        "ieee_id",
        "ieee",
        T("https://ieeexplore.ieee.org/author/{}/"),
    ),
    social("arxiv_id", "arxiv", T("https://arxiv.org/a/{}.html")),
    social("hal_id", "hal", T("https://cv.hal.science/{}")),
    social("leetcode_id", "leetcode", T("https://leetcode.com/u/{}/")),
    social(
        "letterboxd_id",
        "letterboxd",
        T("https://letterboxd.com/{}"),
    ),
    social(
        "substack_username",
        "substack",
        T("https://{}.substack.com"),
    ),
    social("wechat_username", "wechat", T("weixin://dl/chat?{}")),
    social("wechat_qr", "wechat", Image),
    social("cv_pdf", "cv", Url),
];

/// Where the site is, for socials whose link is on it.
pub(super) struct SiteUrl<'a> {
    /// `url` + `baseurl`, no `/` at the end ("" when the site has no `url`).
    pub root: &'a str,
}

impl SiteUrl<'_> {
    fn on_site(&self, path: &str) -> String {
        if path.contains("://") || path.starts_with("mailto:") {
            return path.to_string();
        }
        format!("{}/{}", self.root, path.trim_start_matches('/'))
    }
}

/// A social's link, or why it has none.
pub(super) enum Found {
    Link {
        label: String,
        url: String,
    },
    /// A key al-folio does not know (and so does not show).
    Unknown(String),
}

/// The links of `_config.yml`'s social keys, in al-folio's order; empty
/// values are skipped.
pub(super) fn from_config(config: &Yaml, site: &SiteUrl<'_>) -> Vec<(String, String)> {
    SOCIALS
        .iter()
        .filter(|s| s.key != "email")
        .filter_map(|s| {
            let value = config.text_at(s.key)?;
            Some((s.label.to_string(), link(s, value, site)?))
        })
        .collect()
}

/// The links of `_data/socials.yml`, in its order (al-folio shows them so):
/// the known keys as al-folio links them, `rss_icon` the site's feed, an
/// `academia_edu` table its page, and any other table with a `url` (al-folio's
/// custom socials) under its `title`.
pub(super) fn from_data(data: &Yaml, site: &SiteUrl<'_>) -> Vec<Found> {
    let mut out = Vec::new();
    for (key, value) in data.entries() {
        if let Some(found) = data_entry(key, value, site) {
            out.push(found);
        }
    }
    out
}

fn data_entry(key: &str, value: &Yaml, site: &SiteUrl<'_>) -> Option<Found> {
    let link = |label: &str, url: String| Found::Link {
        label: label.to_string(),
        url,
    };
    if key == "rss_icon" {
        return (value.flag() == Some(true)).then(|| link("rss", site.on_site("feed.xml")));
    }
    if key == "academia_edu" {
        let org = value.text_at("organization")?;
        let user = value.text_at("username")?;
        return Some(link(
            "academia",
            format!("https://{org}.academia.edu/{user}"),
        ));
    }
    if let Some(s) = SOCIALS.iter().find(|s| s.key == key) {
        // A known social with its own logo keeps its value under `value`.
        let value = value.text().or_else(|| value.text_at("value"))?;
        return Some(link(s.label, self::link(s, value, site)?));
    }
    if let Yaml::Map(_) = value {
        let url = value.text_at("url")?;
        let label = value
            .text_at("title")
            .map(label_of)
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| label_of(key));
        return Some(link(&label, site.on_site(url)));
    }
    value.text().map(|_| Found::Unknown(key.to_string()))
}

/// The link of social `s` whose value is `value`.
fn link(s: &Social, value: &str, site: &SiteUrl<'_>) -> Option<String> {
    // Handles are written with and without the `@` the links put before them.
    let value = value.trim();
    let value = match s.label {
        "twitter" | "x" | "medium" | "unsplash" | "youtube" | "telegram" => {
            value.trim_start_matches('@')
        }
        _ => value,
    };
    if value.is_empty() {
        return None;
    }
    let value = value.replace(' ', "%20");
    Some(match s.target {
        UrlOr(_) if value.contains("://") => value,
        T(template) | UrlOr(template) => template.replace("{}", &value),
        Url => site.on_site(&value),
        Image => site.on_site(&format!("assets/img/{value}")),
    })
}

/// A label for `[person.links]` from a name as people write it: lower case,
/// words joined by `_` ("Semantic Scholar" → `semantic_scholar`), the names
/// sites go by made the labels the profile knows ("Google Scholar" →
/// `scholar`, "E-mail" → `email`).
pub(super) fn label_of(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    match words.concat().as_str() {
        "googlescholar" | "scholar" => "scholar".into(),
        "email" | "mail" | "emailme" => "email".into(),
        "semanticscholar" => "semantic_scholar".into(),
        "researchgate" => "researchgate".into(),
        "stackoverflow" => "stackoverflow".into(),
        "weixin" => "wechat".into(),
        _ => words.join("_"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::yaml::parse;

    const SITE: SiteUrl<'static> = SiteUrl {
        root: "https://me.github.io/site",
    };

    #[test]
    fn config_socials_link_as_al_folio_links_them() {
        let config = parse(
            "email: a@b.c\nscholar_userid: qc6CJjYAAAAJ\ngithub_username:\ntwitter_username: '@me'\nmastodon_username: sigmoid.social/@me\nwechat_qr: qr.png\norcid_id: 0000-0002-1825-0097\nunknown_id: x\n",
        )
        .unwrap();
        assert_eq!(
            from_config(&config, &SITE),
            [
                (
                    "orcid".to_string(),
                    "https://orcid.org/0000-0002-1825-0097".to_string()
                ),
                (
                    "scholar".into(),
                    "https://scholar.google.com/citations?user=qc6CJjYAAAAJ".into()
                ),
                ("twitter".into(), "https://twitter.com/me".into()),
                ("mastodon".into(), "https://sigmoid.social/@me".into()),
                (
                    "wechat".into(),
                    "https://me.github.io/site/assets/img/qr.png".into()
                ),
            ]
        );
    }

    #[test]
    fn data_socials_keep_their_order_and_custom_ones_come_in() {
        let data = parse(
            "x_username: me\nemail: a@b.c\nrss_icon: true\nacademia_edu:\n  organization: princeton\n  username: Al\nresearchmap:\n  logo: /assets/img/r.svg\n  title: researchmap\n  url: https://researchmap.jp/me\ncv_pdf: /assets/pdf/cv.pdf\nmystery_id: 7\n",
        )
        .unwrap();
        let got: Vec<String> = from_data(&data, &SITE)
            .into_iter()
            .map(|f| match f {
                Found::Link { label, url } => format!("{label} {url}"),
                Found::Unknown(key) => format!("? {key}"),
            })
            .collect();
        assert_eq!(
            got,
            [
                "x https://twitter.com/me",
                "email a@b.c",
                "rss https://me.github.io/site/feed.xml",
                "academia https://princeton.academia.edu/Al",
                "researchmap https://researchmap.jp/me",
                "cv https://me.github.io/site/assets/pdf/cv.pdf",
                "? mystery_id",
            ]
        );
    }

    #[test]
    fn labels_are_the_profiles_own() {
        for (name, label) in [
            ("Semantic Scholar", "semantic_scholar"),
            ("Google Scholar", "scholar"),
            ("**Email**", "email"),
            ("E-mail", "email"),
            ("WeChat", "wechat"),
            ("GitHub", "github"),
            ("Zhihu", "zhihu"),
            ("My Blog!", "my_blog"),
            ("知乎", "知乎"),
        ] {
            assert_eq!(label_of(name), label, "{name}");
        }
    }
}
