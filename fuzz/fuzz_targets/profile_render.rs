//! From profile bytes through load, sanitize and render into a buffer at a
//! fuzzed size, after fuzzed keys: never a panic, never a control character
//! on the screen.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use termfolio::app::{Action, App};
use termfolio::profile::{self, Source, sanitize};
use termfolio::layout;
use termfolio::{banner, plain, snapshot};

const ACTIONS: [Action; 16] = [
    Action::NextTab,
    Action::PrevTab,
    Action::Up,
    Action::Down,
    Action::PageUp,
    Action::PageDown,
    Action::HalfPageUp,
    Action::HalfPageDown,
    Action::Top,
    Action::Bottom,
    Action::Open,
    Action::Back,
    Action::ToggleHelp,
    Action::ScrollUp,
    Action::ScrollDown,
    Action::GoTab(4),
];

fuzz_target!(|data: &[u8]| {
    // Layout: 2 bytes width, 2 bytes height, 1 byte action count, actions, profile.
    if data.len() < 5 {
        return;
    }
    let (w, h) = layout::clamp_size(
        u32::from(u16::from_le_bytes([data[0], data[1]])) % 400,
        u32::from(u16::from_le_bytes([data[2], data[3]])) % 200,
    );
    let n = usize::from(data[4] % 16);
    let Some(actions) = data.get(5..5 + n) else {
        return;
    };
    let Ok(text) = std::str::from_utf8(&data[5 + n..]) else {
        return;
    };
    let Ok(profile) = profile::parse(text, &Source::File("fuzz.toml".into())).map_err(|e| {
        // An error message is written to a terminal: it must be inert too.
        let msg = e.to_string();
        assert!(!msg.chars().any(|c| c != '\n' && sanitize::is_forbidden(c)), "{msg:?}");
    }) else {
        return;
    };
    let profile = Arc::new(profile);
    let mut app = App::new(Arc::clone(&profile), true, w, h);
    for &a in actions {
        app.update(ACTIONS[usize::from(a) % ACTIONS.len()]);
        let screen = snapshot::to_text(&snapshot::draw(&app));
        assert!(!screen.chars().any(|c| c != '\n' && sanitize::is_forbidden(c)), "{screen:?}");
    }
    let screen = snapshot::to_text(&snapshot::draw(&app));
    assert_eq!(screen.lines().count(), usize::from(h));
    let plain = plain::render(&profile, 80);
    assert!(!plain.chars().any(|c| c != '\n' && sanitize::is_forbidden(c)));
    let card = banner::render(
        &profile,
        &banner::Options {
            width: usize::from(w.max(1)),
            news: 3,
            color: false,
            unicode: true,
            hint: banner::Hint::Local,
            hyperlinks: false,
        },
    );
    assert!(!card.chars().any(|c| c != '\n' && sanitize::is_forbidden(c)));
});
