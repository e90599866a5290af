use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::app::Effect;
use crate::app::PhotoLook;
use crate::profile::{self, Publication};

fn bundled() -> Arc<Profile> {
    Arc::new(profile::parse(profile::BUNDLED, &profile::Source::Bundled).unwrap())
}

fn with_publications(n: usize) -> Arc<Profile> {
    let mut p = (*bundled()).clone();
    p.publications = (0..n)
        .map(|i| Publication {
            title: format!("Paper {i}"),
            authors: vec!["Tongtian Zhu".into()],
            year: 2020,
            ..Publication::default()
        })
        .collect();
    Arc::new(p)
}

fn app(columns: u16, rows: u16) -> App {
    App::new(bundled(), false, columns, rows)
}

fn press(app: &mut App, code: KeyCode) {
    app.on_key(&KeyEvent::new(code, KeyModifiers::NONE));
}

#[test]
fn tabs_cycle_both_ways_and_wrap() {
    let mut a = app(80, 24);
    assert_eq!(a.tabs().len(), 5);
    assert_eq!(a.tab(), Tab::Bio);
    a.update(Action::PrevTab);
    assert_eq!(a.tab(), Tab::Section(0));
    a.update(Action::NextTab);
    a.update(Action::NextTab);
    assert_eq!(a.tab(), Tab::Research);
    press(&mut a, KeyCode::Char('4'));
    assert_eq!(a.tab(), Tab::Publications);
    press(&mut a, KeyCode::Char('9'));
    assert_eq!(
        a.tab(),
        Tab::Publications,
        "a tab that does not exist is ignored"
    );
}

#[test]
fn find_tab_by_name_or_number() {
    let a = app(80, 24);
    assert_eq!(a.find_tab("PUBLICATIONS"), Some(3));
    assert_eq!(a.find_tab("research"), Some(1));
    assert_eq!(a.find_tab("misc"), Some(4));
    assert_eq!(a.find_tab("5"), Some(4));
    assert_eq!(a.find_tab("6"), None);
    assert_eq!(a.find_tab("0"), None);
    assert_eq!(a.find_tab("nope"), None);
}

#[test]
fn arrows_move_the_publication_selection_within_bounds() {
    let mut a = app(80, 24);
    a.update(Action::GoTab(3));
    assert_eq!(a.position(), "1/2");
    a.update(Action::Up);
    assert_eq!(a.list().selected, 0);
    a.update(Action::Down);
    a.update(Action::Down);
    assert_eq!(a.list().selected, 1);
    assert_eq!(a.position(), "2/2");
    a.update(Action::Top);
    assert_eq!(a.list().selected, 0);
}

#[test]
fn enter_focuses_the_detail_and_esc_returns() {
    let mut a = app(80, 24);
    a.update(Action::GoTab(3));
    a.update(Action::Open);
    assert_eq!(a.focus(), Focus::Detail);
    assert_eq!(a.context(), Context::Detail);
    a.update(Action::Down);
    assert_eq!(
        a.list().selected,
        0,
        "arrows scroll the detail, not the list"
    );
    a.update(Action::Back);
    assert_eq!(a.focus(), Focus::List);
}

#[test]
fn detail_shows_the_selected_publication() {
    let mut a = app(120, 40);
    a.update(Action::GoTab(3));
    a.update(Action::Down);
    let first = a.detail().lines[0].to_string();
    assert!(first.starts_with("Decentralized SGD"), "{first}");
}

#[test]
fn switching_tabs_leaves_the_detail() {
    let mut a = app(80, 24);
    a.update(Action::GoTab(3));
    a.update(Action::Open);
    a.update(Action::NextTab);
    a.update(Action::PrevTab);
    assert_eq!(a.focus(), Focus::List);
}

#[test]
fn text_scroll_is_clamped_to_the_content() {
    let mut a = app(40, 12);
    a.update(Action::GoTab(0));
    a.update(Action::Bottom);
    let bottom = a.text().scroll;
    assert!(bottom > 0, "the bio overflows a 40x12 screen");
    a.update(Action::Down);
    assert_eq!(a.text().scroll, bottom);
    assert_eq!(a.position(), "Bot");
    a.update(Action::Up);
    assert_eq!(a.text().scroll, bottom - 1);
    a.update(Action::Top);
    assert_eq!(a.position(), "Top");
}

#[test]
fn large_lists_page_and_keep_the_selection_visible() {
    let mut a = App::new(with_publications(100_000), false, 80, 24);
    a.update(Action::GoTab(3));
    a.update(Action::Bottom);
    let l = a.list();
    assert_eq!(l.selected, 99_999);
    assert!(l.offset <= l.selected && l.selected < l.offset + a.list_capacity());
    a.update(Action::PageUp);
    let l = a.list();
    assert!(l.selected < 99_999 && l.offset <= l.selected);
    assert_eq!(a.position(), format!("{}/100000", l.selected + 1));
}

#[test]
fn resize_keeps_state_and_relays_out_text() {
    let mut a = app(120, 40);
    let wide = a.text().lines.len();
    a.update(Action::Resize(40, 12));
    assert!(a.text().lines.len() > wide, "narrower means more lines");
    a.update(Action::Resize(1, 1));
    a.update(Action::Down);
    a.update(Action::Click { column: 0, row: 0 });
    a.update(Action::Resize(80, 24));
    assert_eq!(a.tab(), Tab::Bio);
}

#[test]
fn help_opens_scrolls_and_closes() {
    let mut a = app(40, 12);
    press(&mut a, KeyCode::Char('?'));
    assert_eq!(a.help_scroll(), Some(0));
    a.update(Action::Down);
    assert_eq!(a.help_scroll(), Some(1));
    a.update(Action::NextTab);
    assert_eq!(a.tab(), Tab::Bio, "keys go to the help while it is open");
    press(&mut a, KeyCode::Esc);
    assert_eq!(a.help_scroll(), None);
}

#[test]
fn q_and_ctrl_c_quit() {
    let mut a = app(80, 24);
    press(&mut a, KeyCode::Char('q'));
    assert!(a.should_quit());
    let mut a = app(80, 24);
    a.on_key(&KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert!(a.should_quit());
}

#[test]
fn clicking_a_tab_selects_it() {
    let mut a = app(100, 30);
    let screen = layout::screen(a.size()).unwrap();
    // " Bio   Research   News   Publications" — click inside "News".
    a.update(Action::Click {
        column: 20,
        row: screen.tabs.y,
    });
    assert_eq!(a.tab(), Tab::News);
}

#[test]
fn clicking_a_publication_row_selects_it() {
    let mut a = app(100, 30);
    a.update(Action::GoTab(3));
    let screen = layout::screen(a.size()).unwrap();
    let list = layout::inner(a.panes(screen.content).list);
    a.update(Action::Click {
        column: list.x + 3,
        row: list.y + 2,
    });
    assert_eq!(a.list().selected, 1);
    a.update(Action::ScrollUp);
    assert_eq!(a.list().selected, 0);
}

#[test]
fn news_position_counts_items() {
    let mut a = app(60, 14);
    a.update(Action::GoTab(2));
    assert_eq!(a.position(), "1/7");
    a.update(Action::Bottom);
    assert!(a.position().ends_with("/7"));
    assert_ne!(a.position(), "1/7");
}

#[test]
fn empty_profile_still_works() {
    let p =
        Arc::new(profile::parse("[person]\nname = \"A\"\n", &profile::Source::Bundled).unwrap());
    let mut a = App::new(p, false, 80, 24);
    for action in [
        Action::GoTab(3),
        Action::Down,
        Action::Open,
        Action::Bottom,
        Action::PageDown,
    ] {
        a.update(action);
    }
    assert_eq!(a.focus(), Focus::List);
    assert_eq!(a.position(), "0/0");
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

#[test]
fn slash_filters_publications_as_you_type() {
    let mut a = app(100, 30);
    a.update(Action::GoTab(3));
    press(&mut a, KeyCode::Char('/'));
    assert!(a.filter().is_some_and(|f| f.editing));
    typed(&mut a, "SAM");
    assert_eq!(a.list_len(), 1);
    assert!(
        a.selected_publication()
            .unwrap()
            .title
            .contains("Average-direction SAM")
    );
    assert_eq!(a.position(), "1/1");
    press(&mut a, KeyCode::Backspace);
    press(&mut a, KeyCode::Backspace);
    press(&mut a, KeyCode::Backspace);
    assert_eq!(a.list_len(), 2, "an empty query lets everything through");
    typed(&mut a, "tongtian zhu");
    assert_eq!(a.list_len(), 2, "authors match, ignoring case");
    typed(&mut a, "!");
    assert_eq!(a.list_len(), 0);
}

#[test]
fn enter_keeps_the_filter_and_esc_clears_it() {
    let mut a = app(100, 30);
    a.update(Action::GoTab(3));
    typed(&mut a, "/topology");
    press(&mut a, KeyCode::Enter);
    assert!(
        a.filter()
            .is_some_and(|f| !f.editing && f.query == "topology")
    );
    assert_eq!(a.list_len(), 1);
    press(&mut a, KeyCode::Char('j'));
    assert_eq!(
        a.filter().unwrap().query,
        "topology",
        "keys act again once kept"
    );
    press(&mut a, KeyCode::Char('/'));
    press(&mut a, KeyCode::Esc);
    assert!(a.filter().is_none());
    assert_eq!(a.list_len(), 2);
}

#[test]
fn filtering_keeps_the_selected_paper_when_it_still_matches() {
    let mut a = app(100, 30);
    a.update(Action::GoTab(3));
    a.update(Action::Down);
    typed(&mut a, "/icml");
    assert_eq!(a.list_len(), 2);
    assert!(
        a.selected_publication()
            .unwrap()
            .title
            .starts_with("Decentralized SGD")
    );
}

#[test]
fn news_filter_shows_matching_items_only() {
    let mut a = app(100, 30);
    a.update(Action::GoTab(2));
    typed(&mut a, "/waic");
    let text: Vec<String> = a.text().lines.iter().map(|l| l.to_string()).collect();
    assert!(text.iter().any(|l| l.contains("Jul 8, 2023")), "{text:?}");
    assert!(!text.iter().any(|l| l.contains("Jul 12, 2023")), "{text:?}");
    assert_eq!(a.position(), "1/1");
    press(&mut a, KeyCode::Esc);
    assert_eq!(a.position(), "1/7");
}

#[test]
fn slash_elsewhere_says_where_it_works() {
    let mut a = app(80, 24);
    press(&mut a, KeyCode::Char('/'));
    assert!(a.filter().is_none());
    assert!(a.status().unwrap().contains("News and Publications"));
    press(&mut a, KeyCode::Char('j'));
    assert!(a.status().is_none(), "a message lasts until the next key");
}

#[test]
fn y_asks_the_front_end_to_copy_the_bibtex() {
    let mut a = app(100, 30);
    a.update(Action::GoTab(3));
    press(&mut a, KeyCode::Char('y'));
    let effects = a.take_effects();
    match effects.as_slice() {
        [Effect::Copy { text, what }] => {
            assert!(
                text.starts_with("@inproceedings{zhu2022topology,"),
                "{text}"
            );
            assert!(what.starts_with("the BibTeX of “Topology-aware"), "{what}");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        a.take_effects().is_empty(),
        "each effect is handed out once"
    );
}

#[test]
fn o_lists_a_publications_links_and_enter_opens_locally_or_shows_elsewhere() {
    let mut local = App::new(bundled(), false, 100, 30).with_link_opening(true);
    local.update(Action::GoTab(3));
    press(&mut local, KeyCode::Char('o'));
    let urls: Vec<&str> = local
        .picker()
        .expect("o opens the picker")
        .links
        .iter()
        .map(|l| l.url.as_str())
        .collect();
    assert_eq!(
        urls,
        [
            "https://proceedings.mlr.press/v162/zhu22d.html",
            "https://arxiv.org/abs/2206.12680",
            "https://github.com/Raiden-Zhu/Generalization-of-DSGD"
        ]
    );
    assert_eq!(local.context(), Context::Links);
    press(&mut local, KeyCode::Down);
    press(&mut local, KeyCode::Enter);
    assert_eq!(
        local.take_effects(),
        [Effect::Open("https://arxiv.org/abs/2206.12680".into())]
    );
    assert!(local.picker().is_none(), "opening closes the picker");

    let mut remote = app(100, 30);
    remote.update(Action::GoTab(3));
    press(&mut remote, KeyCode::Char('o'));
    press(&mut remote, KeyCode::Enter);
    assert!(
        remote.take_effects().is_empty(),
        "never opened where the viewer is not local"
    );
    assert_eq!(
        remote.status(),
        Some("Link: https://proceedings.mlr.press/v162/zhu22d.html  (y copies it)")
    );
    press(&mut remote, KeyCode::Char('y'));
    assert_eq!(
        remote.take_effects(),
        [Effect::Copy {
            text: "https://proceedings.mlr.press/v162/zhu22d.html".into(),
            what: "the link https://proceedings.mlr.press/v162/zhu22d.html".into()
        }]
    );
    press(&mut remote, KeyCode::Esc);
    assert!(remote.picker().is_none());
    assert_eq!(remote.context(), Context::List);
}

/// The texts of the open picker's links.
fn picked_texts(a: &App) -> Vec<String> {
    let picker = a.picker().expect("the picker is open");
    picker.links.iter().map(|l| l.text.clone()).collect()
}

#[test]
fn every_tab_has_its_links_in_the_picker() {
    let mut a = app(100, 30);
    press(&mut a, KeyCode::Char('o'));
    let bio = picked_texts(&a);
    assert_eq!(
        bio,
        [
            "Zhejiang University",
            "Mingli Song",
            "Chun Chen",
            "JD Explore Academy",
            "Fengxiang He",
            "Dacheng Tao",
            "Westlake",
            "Hangzhou",
            "Semantic Scholar",
            "Google Scholar",
            "Email",
            "WeChat",
            "GitHub",
            "Zhihu"
        ],
        "each URL once, in reading order"
    );
    press(&mut a, KeyCode::Char('o'));
    assert!(a.picker().is_none(), "o again closes it");
    // News: the selected item's links; the first is the BAAI talk.
    a.update(Action::GoTab(2));
    press(&mut a, KeyCode::Char('o'));
    let news = picked_texts(&a);
    assert_eq!(
        news,
        [
            "video",
            "slides",
            "Beijing Academy of Artificial Intelligence (智源社区, BAAI)"
        ]
    );
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('j'));
    press(&mut a, KeyCode::Char('j'));
    press(&mut a, KeyCode::Char('j'));
    press(&mut a, KeyCode::Char('j'));
    press(&mut a, KeyCode::Char('j'));
    press(&mut a, KeyCode::Char('o'));
    assert!(a.picker().is_none());
    assert_eq!(a.status(), Some("This news item has no link."));
    a.update(Action::GoTab(1));
    press(&mut a, KeyCode::Char('o'));
    assert_eq!(a.status(), Some("This tab has no link."));
}

#[test]
fn the_picker_survives_resizes_and_keeps_the_selection_in_view() {
    let mut a = app(100, 30);
    press(&mut a, KeyCode::Char('o'));
    press(&mut a, KeyCode::End);
    for (w, h) in [(20, 8), (1, 1), (500, 200), (40, 10)] {
        a.update(Action::Resize(w, h));
        let p = a.picker().unwrap();
        assert_eq!(p.selected, p.links.len() - 1);
        let rows = usize::from(crate::layout::padded_inner(p.area(a.size())).height);
        let lines = p.lines_of(p.selected);
        if rows >= lines.len() {
            assert!(
                p.view.scroll <= lines.start && lines.end <= p.view.scroll + rows,
                "{w}x{h}"
            );
        }
    }
    press(&mut a, KeyCode::Char('q'));
    assert!(a.should_quit());
}

#[test]
fn refused_links_never_reach_the_picker() {
    let mut p = (*bundled()).clone();
    p.publications[0].url = Some("file:///etc/passwd".into());
    p.publications[0].code = Some("javascript:alert(1)".into());
    p.publications[0].abstract_ =
        Some("[x](mailto:a@b.c?attach=/etc/passwd) [y](data:text/html,x)".into());
    let mut a = App::new(Arc::new(p), false, 100, 30).with_link_opening(true);
    a.update(Action::GoTab(3));
    press(&mut a, KeyCode::Char('o'));
    let urls: Vec<String> = a
        .picker()
        .unwrap()
        .links
        .iter()
        .map(|l| l.url.clone())
        .collect();
    assert_eq!(urls, ["https://arxiv.org/abs/2206.12680"]);
    assert!(openable("https://x.org") && openable("mailto:a@b.c") && openable("HTTP://X"));
    assert!(!openable("javascript:alert(1)") && !openable("file:///") && !openable("ssh://h"));
    assert!(!openable("mailto:a@b.c?attach=/etc/passwd"));
}

#[test]
fn b_shows_the_bibtex_in_the_detail() {
    let mut a = app(100, 30);
    a.update(Action::GoTab(3));
    press(&mut a, KeyCode::Char('b'));
    assert!(a.shows_bibtex());
    assert!(
        a.detail().lines[0]
            .to_string()
            .starts_with("@inproceedings{zhu2022topology,")
    );
    press(&mut a, KeyCode::Char('b'));
    assert!(
        a.detail().lines[0]
            .to_string()
            .starts_with("Topology-aware")
    );
}

#[test]
fn esc_closes_the_innermost_thing_first() {
    let mut a = app(100, 30);
    a.update(Action::GoTab(3));
    typed(&mut a, "/topology");
    press(&mut a, KeyCode::Enter);
    press(&mut a, KeyCode::Enter);
    press(&mut a, KeyCode::Char('b'));
    press(&mut a, KeyCode::Char('?'));
    assert_eq!(a.context(), Context::Help);
    press(&mut a, KeyCode::Esc);
    assert!(a.help_scroll().is_none(), "first the help");
    assert!(a.shows_bibtex() && a.focus() == Focus::Detail);
    press(&mut a, KeyCode::Esc);
    assert!(!a.shows_bibtex(), "then the BibTeX view");
    assert_eq!(a.focus(), Focus::Detail);
    assert!(
        a.detail().lines[0]
            .to_string()
            .starts_with("Topology-aware"),
        "back to the page of the same paper"
    );
    press(&mut a, KeyCode::Esc);
    assert_eq!(a.focus(), Focus::List, "then the detail");
    assert_eq!(a.filter().map(|f| f.query.as_str()), Some("topology"));
    press(&mut a, KeyCode::Esc);
    assert!(a.filter().is_none(), "then the kept filter");
    assert_eq!(a.list_len(), 2);
}

#[test]
fn esc_clears_a_kept_news_filter() {
    let mut a = app(80, 24);
    a.update(Action::GoTab(2));
    typed(&mut a, "/jul");
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.position(), "1/3");
    press(&mut a, KeyCode::Esc);
    assert!(a.filter().is_none());
    assert_eq!(a.position(), "1/7");
}

#[test]
fn b_then_esc_from_the_list_shows_the_page_again() {
    let mut a = app(100, 30);
    a.update(Action::GoTab(3));
    press(&mut a, KeyCode::Char('b'));
    press(&mut a, KeyCode::Esc);
    assert!(!a.shows_bibtex());
}

#[test]
fn filter_keys_come_from_the_key_table() {
    let mut a = app(100, 30);
    a.update(Action::GoTab(3));
    typed(&mut a, "/topologyx");
    assert_eq!(a.context(), Context::Filter);
    press(&mut a, KeyCode::Backspace);
    assert_eq!(a.filter().unwrap().query, "topology");
    assert_eq!(a.list_len(), 1);
    assert_eq!(keymap::key_for(Action::KeepFilter), "Enter");
    assert_eq!(keymap::key_for(Action::ClearFilter), "Esc");
    // While typing, letters bound elsewhere are text: `q` does not quit.
    typed(&mut a, "q");
    assert!(!a.should_quit());
    press(&mut a, KeyCode::Esc);
    assert!(a.filter().is_none());
}

#[test]
fn news_items_are_selected_like_publications() {
    let mut a = app(60, 14);
    a.update(Action::GoTab(2));
    assert_eq!(a.context(), Context::News);
    assert_eq!(a.position(), "1/7");
    let first = a.selected_lines().unwrap();
    assert_eq!(first.start, 0);
    press(&mut a, KeyCode::Down);
    assert_eq!(a.position(), "2/7");
    assert_eq!(a.selected_lines().unwrap().start, first.end);
    a.update(Action::Bottom);
    assert_eq!(a.position(), "7/7");
    // The last item is in view.
    let last = a.selected_lines().unwrap();
    let rows = usize::from(a.text_area().height);
    assert!(a.text().scroll <= last.start && last.end <= a.text().scroll + rows);
    press(&mut a, KeyCode::Down);
    assert_eq!(a.position(), "7/7", "stays at the end");
    a.update(Action::Top);
    assert_eq!(a.position(), "1/7");
    assert_eq!(a.text().scroll, 0);
}

#[test]
fn footer_offers_only_keys_that_act_here() {
    let text: Vec<_> = keymap::hints(Context::Text)
        .iter()
        .map(|h| h.keys)
        .collect();
    assert!(!text.contains(&"/"), "{text:?}");
    let news: Vec<_> = keymap::hints(Context::News)
        .iter()
        .map(|h| h.keys)
        .collect();
    assert!(news.contains(&"/") && news.contains(&"↑↓"), "{news:?}");
}

fn with_photo(columns: u16, rows: u16, look: PhotoLook) -> App {
    let profile = bundled();
    let photo = crate::photo::locate(&profile, &profile::Source::Bundled)
        .unwrap()
        .unwrap();
    App::with_photo_at(profile, true, columns, rows, Some(Arc::new(photo)), look)
}

fn bio_text(a: &App) -> String {
    a.text()
        .lines
        .iter()
        .map(|l| l.to_string() + "\n")
        .collect()
}

#[test]
fn the_photo_takes_at_most_a_third_and_its_caption_leaves_the_facts() {
    let drawn = PhotoLook::Drawn { truecolor: true };
    let mut a = with_photo(100, 30, drawn);
    let (_, _, bio) = a.photo().expect("room beside the text");
    let photo = bio.photo.unwrap();
    let inner = crate::layout::padded_inner(crate::layout::screen(a.size()).unwrap().content);
    assert!(photo.width + 2 <= inner.width / 3, "{photo:?} in {inner:?}");
    assert_eq!(a.text_area().x, photo.right() + 2);
    assert!(
        !bio_text(&a).contains("At the gorgeous"),
        "caption under the photo"
    );
    assert_eq!(
        a.caption().lines[0].to_string(),
        "At the gorgeous Westlake,"
    );
    // Too small for it: the caption goes back among the facts.
    a.update(Action::Resize(40, 12));
    assert!(a.photo().is_none());
    assert!(bio_text(&a).contains("At the gorgeous"), "{}", bio_text(&a));
    a.update(Action::Resize(100, 30));
    assert!(a.photo().is_some());
    assert!(!bio_text(&a).contains("At the gorgeous"));
    // Other tabs are laid out as before.
    a.update(Action::NextTab);
    assert_eq!(a.text_area(), inner);
}

#[test]
fn no_colour_means_no_photo_and_a_blank_one_keeps_its_room() {
    let off = with_photo(100, 30, PhotoLook::Off);
    assert!(off.photo().is_none());
    assert!(bio_text(&off).contains("At the gorgeous"));
    let blank = with_photo(100, 30, PhotoLook::Blank);
    assert!(blank.photo().is_some());
    assert_eq!(
        blank.text_area(),
        with_photo(100, 30, PhotoLook::Drawn { truecolor: false }).text_area()
    );
    for (w, h) in [(1, 1), (24, 8), (30, 40), (500, 200), (56, 10)] {
        let a = with_photo(w, h, PhotoLook::Drawn { truecolor: true });
        if let Some((_, _, bio)) = a.photo() {
            let photo = bio.photo.unwrap();
            assert!(photo.width >= 1 && photo.height >= 1, "{w}x{h}");
            assert!(a.text_area().width >= 10, "{w}x{h}: {:?}", a.text_area());
        }
    }
}

#[test]
fn a_reload_keeps_the_tab_the_paper_by_title_the_focus_and_the_filter() {
    let mut a = App::new(with_publications(30), false, 80, 24);
    a.update(Action::GoTab(3));
    a.update(Action::Bottom);
    a.update(Action::Open);
    assert_eq!(a.selected_publication().unwrap().title, "Paper 29");
    // A paper added at the top: the same paper stays chosen, one row lower.
    let mut next = (*with_publications(30)).clone();
    next.publications.insert(
        0,
        Publication {
            title: "Paper new".into(),
            year: 2024,
            ..Publication::default()
        },
    );
    let b = a.reloaded(Arc::new(next), None);
    assert_eq!(b.tab(), Tab::Publications);
    assert_eq!(b.selected_publication().unwrap().title, "Paper 29");
    assert_eq!(b.list().selected, 30);
    assert_eq!(b.focus(), Focus::Detail);
    assert!(b.list().offset + b.list_capacity() > 30, "still in view");
    // Its title gone: the same place, or the last row there is.
    let c = b.reloaded(with_publications(5), None);
    assert_eq!(c.list().selected, 4);
    // A kept filter is applied to the new version.
    let mut f = App::new(with_publications(30), false, 80, 24);
    f.update(Action::GoTab(3));
    f.update(Action::Search);
    for ch in "paper 1".chars() {
        press(&mut f, KeyCode::Char(ch));
    }
    press(&mut f, KeyCode::Enter);
    let n = f.list_len();
    let g = f.reloaded(with_publications(30), None);
    assert_eq!(
        (g.list_len(), g.filter().map(|f| f.query.as_str())),
        (n, Some("paper 1"))
    );
    // A tab that is gone falls back to the first.
    let mut s = app(80, 24);
    s.update(Action::GoTab(4));
    assert!(matches!(s.tab(), Tab::Section(0)));
    let mut fewer = (*bundled()).clone();
    fewer.sections.clear();
    assert_eq!(s.reloaded(Arc::new(fewer), None).tab(), Tab::Bio);
}

#[test]
fn a_problem_shows_until_it_is_cleared_and_a_reload_has_none() {
    let mut a = app(80, 24);
    a.set_problem(Some(
        "p.toml:3:1: error: unknown key `nmae`\u{1b}[31m".into(),
    ));
    assert_eq!(a.problem(), Some("p.toml:3:1: error: unknown key `nmae`"));
    press(&mut a, KeyCode::Down);
    assert!(a.problem().is_some(), "keys do not clear it");
    assert_eq!(a.reloaded(bundled(), None).problem(), None);
}
