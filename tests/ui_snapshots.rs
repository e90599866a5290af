//! Snapshots of every screen, drawn by the real `ui` into ratatui's
//! `TestBackend` through the same path `termfolio snapshot` uses.

use std::sync::Arc;

use termfolio::app::{Action, App};
use termfolio::profile::{self, Profile, Source};
use termfolio::snapshot;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (40, 12)];
const TABS: [&str; 5] = ["bio", "research", "news", "publications", "misc"];

fn bundled() -> Arc<Profile> {
    Arc::new(profile::parse(profile::BUNDLED, &Source::Bundled).unwrap())
}

fn cjk() -> Arc<Profile> {
    let text = include_str!("fixtures/cjk_emoji.toml");
    Arc::new(profile::parse(text, &Source::File("cjk_emoji.toml".into())).unwrap())
}

fn screen(profile: Arc<Profile>, size: (u16, u16), tab: &str, keys: &str) -> String {
    let probe = App::new(Arc::clone(&profile), false, 1, 1);
    let tab = probe.find_tab(tab).expect("tab exists");
    let buf = snapshot::render(profile, false, size, Some(tab), keys).unwrap();
    snapshot::to_text(&buf)
}

#[test]
fn every_tab_at_every_size() {
    for (w, h) in SIZES {
        for tab in TABS {
            let text = screen(bundled(), (w, h), tab, "");
            insta::assert_snapshot!(format!("{tab}_{w}x{h}"), text);
        }
    }
}

#[test]
fn publication_detail_opened() {
    for (w, h) in SIZES {
        let text = screen(bundled(), (w, h), "publications", "<Down><Enter>");
        insta::assert_snapshot!(format!("publication_detail_{w}x{h}"), text);
    }
}

#[test]
fn help_overlay() {
    for (w, h) in SIZES {
        let text = screen(bundled(), (w, h), "bio", "?");
        insta::assert_snapshot!(format!("help_{w}x{h}"), text);
    }
}

#[test]
fn scrolled_bio_shows_the_end() {
    let text = screen(bundled(), (40, 12), "bio", "G");
    insta::assert_snapshot!("bio_scrolled_to_bottom_40x12", text);
}

#[test]
fn cjk_and_emoji_profile() {
    for (w, h) in SIZES {
        for tab in ["bio", "research", "news", "publications", "杂项"] {
            let text = screen(cjk(), (w, h), tab, "");
            insta::assert_snapshot!(
                format!("cjk_{}_{w}x{h}", tab.replace("杂项", "section")),
                text
            );
        }
    }
}

#[test]
fn too_small_screens_say_so() {
    for (w, h) in [(1, 1), (10, 3), (23, 7), (24, 7)] {
        let text = screen(bundled(), (w, h), "bio", "");
        insta::assert_snapshot!(format!("too_small_{w}x{h}"), text);
    }
}

#[test]
fn colour_snapshot_of_publications() {
    let buf = snapshot::render(bundled(), true, (100, 30), Some(3), "").unwrap();
    insta::assert_snapshot!("publications_ansi_100x30", snapshot::to_ansi(&buf));
}

#[test]
fn colour_snapshot_of_a_selected_news_item() {
    let buf = snapshot::render(bundled(), true, (80, 24), Some(2), "jj").unwrap();
    let ansi = snapshot::to_ansi(&buf);
    // The third item's lines are drawn reversed, the others are not.
    let reversed: Vec<&str> = ansi
        .lines()
        .filter(|l| l.contains("\x1b[0;7m") || l.contains(";7m") || l.contains(";7;"))
        .collect();
    assert!(
        reversed.len() == 3 && reversed[0].contains("Jul 8, 2023"),
        "{reversed:#?}"
    );
    insta::assert_snapshot!("news_selected_ansi_80x24", ansi);
}

#[test]
fn every_size_from_tiny_to_huge_renders() {
    // Not a snapshot: no panic and exact dimensions at awkward sizes.
    for (w, h) in [
        (1, 1),
        (2, 50),
        (50, 2),
        (24, 8),
        (95, 20),
        (96, 20),
        (500, 200),
    ] {
        for tab in 0..5 {
            for keys in ["", "<Enter>", "?", "G<Enter>G"] {
                let buf = snapshot::render(bundled(), true, (w, h), Some(tab), keys).unwrap();
                let text = snapshot::to_text(&buf);
                assert_eq!(text.lines().count(), usize::from(h));
            }
        }
    }
    let mut app = App::new(bundled(), true, 80, 24);
    for (w, h) in [(0, 0), (0, 10), (10, 0), (1000, 1000)] {
        app.update(Action::Resize(w, h));
        let _ = snapshot::draw(&app);
    }
}

#[test]
fn filter_and_bibtex_views() {
    for (w, h) in SIZES {
        insta::assert_snapshot!(
            format!("publications_filtered_{w}x{h}"),
            screen(bundled(), (w, h), "publications", "/sam")
        );
        insta::assert_snapshot!(
            format!("news_filtered_{w}x{h}"),
            screen(bundled(), (w, h), "news", "/icml<Enter>")
        );
        insta::assert_snapshot!(
            format!("publication_bibtex_{w}x{h}"),
            screen(bundled(), (w, h), "publications", "b")
        );
    }
    insta::assert_snapshot!(
        "publications_no_match_80x24",
        screen(bundled(), (80, 24), "publications", "/zzz<Enter>")
    );
    insta::assert_snapshot!(
        "link_picker_80x24",
        screen(bundled(), (80, 24), "publications", "o")
    );
    insta::assert_snapshot!(
        "link_shown_not_opened_80x24",
        screen(bundled(), (80, 24), "publications", "o<Down><Enter>")
    );
    insta::assert_snapshot!(
        "bio_links_picker_60x20",
        screen(bundled(), (60, 20), "bio", "oG")
    );
}

#[test]
fn live_frames_equal_snapshot_buffers() {
    // The live viewer draws through ratatui's Terminal (here over TestBackend);
    // `snapshot` draws the same `ui` into a bare buffer. They must agree.
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    for (w, h) in SIZES {
        for tab in 0..5 {
            for keys in ["", "<Down><Enter>", "?", "/sam"] {
                let mut app = App::new(bundled(), true, w, h);
                app.update(Action::GoTab(tab));
                for key in termfolio::app::keymap::parse_keys(keys).unwrap() {
                    app.on_key(&key);
                }
                let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
                let frame = terminal
                    .draw(|f| termfolio::ui::draw(&app, f))
                    .unwrap()
                    .buffer
                    .clone();
                assert_eq!(frame, snapshot::draw(&app), "{w}x{h} tab {tab} keys {keys}");
            }
        }
    }
}

/// An imported bibliography as al-folio lists it: the year in every row
/// (none of these has an `abbr`), newest first under `[display]`, a thesis
/// saying what it is, a long note in the detail rather than a badge, LaTeX
/// made Unicode and emphasis (the fixture is tests/fixtures/bib's
/// latex_and_ads.bib, imported; see bibtex.rs).
#[test]
fn imported_bibliography_list_and_details() {
    let bib = include_str!("fixtures/bib/latex_and_ads.bib");
    let import = termfolio::bibtex::import(bib);
    let mut profile = Profile {
        publications: import.publications,
        ..Profile::default()
    };
    profile.person.name = "Ada B. Quinn".into();
    profile.display.publications = Some(profile::Order::Newest);
    profile.order_publications();
    let profile = Arc::new(profile);
    for (keys, name) in [
        ("", "imported_list"),
        ("<Down><Down><Down><Enter>", "imported_book_by_editors"),
        ("<Down><Down><Down><Down><Enter>", "imported_mnras_article"),
        ("<End><Enter>", "imported_thesis"),
    ] {
        let text = screen(Arc::clone(&profile), (100, 30), "publications", keys);
        insta::assert_snapshot!(format!("{name}_100x30"), text);
    }
}

/// A lab's directory (`serve --profiles`): the bundled profile, the CJK
/// one, an unavailable one, and one with no news.
fn lab() -> termfolio::app::Directory {
    use termfolio::app::{Directory, Member, PhotoLook};
    let plain = "[person]\nname = \"Ada Lovelace\"\nposition = \"Professor of Analytical Engines\"\n\
                 institution = \"University of London\"\n[bio]\ntext = \"Wrote the first algorithm.\"\n";
    let ada = Arc::new(profile::parse(plain, &Source::Bundled).unwrap());
    let members = vec![
        Member {
            login: "ada".into(),
            profile: Some(ada),
            photo: None,
        },
        Member {
            login: "bob".into(),
            profile: None,
            photo: None,
        },
        Member {
            login: "tongtian".into(),
            profile: Some(bundled()),
            photo: None,
        },
        Member {
            login: "zhu.tong".into(),
            profile: Some(cjk()),
            photo: None,
        },
    ];
    Directory::new(Arc::from(members), false, 80, 24, PhotoLook::Off)
}

/// The directory after `keys`, at `size`, as text.
fn lab_screen(size: (u16, u16), keys: &str) -> String {
    use termfolio::app::{Action, Model};
    let mut model = Model::Directory(Box::new(lab()));
    model.update(Action::Resize(size.0, size.1));
    for key in termfolio::app::keymap::parse_keys(keys).unwrap() {
        model.on_key(&key);
    }
    let area = ratatui::layout::Rect::new(0, 0, size.0, size.1);
    let mut buf = ratatui::buffer::Buffer::empty(area);
    termfolio::ui::render_model(&model, area, &mut buf);
    snapshot::to_text(&buf)
}

#[test]
fn lab_directory() {
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("lab_directory_{w}x{h}"), lab_screen((w, h), ""));
        insta::assert_snapshot!(
            format!("lab_directory_filtered_{w}x{h}"),
            lab_screen((w, h), "/zhu")
        );
    }
    insta::assert_snapshot!("lab_directory_too_small_20x6", lab_screen((20, 6), ""));
    insta::assert_snapshot!(
        "lab_directory_unavailable_80x24",
        lab_screen((80, 24), "j<Enter>")
    );
    insta::assert_snapshot!(
        "lab_directory_no_match_80x24",
        lab_screen((80, 24), "/babbage<Enter>")
    );
    // A person opened from the directory: their viewer, with the way back.
    insta::assert_snapshot!(
        "lab_directory_opened_80x24",
        lab_screen((80, 24), "G<Enter>")
    );
}
