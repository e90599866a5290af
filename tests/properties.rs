//! Property tests: any screen size, any sequence of actions, any tab: the
//! viewer never panics and always fills exactly the screen it was given.

use std::sync::Arc;

use proptest::prelude::*;
use termfolio::app::{Action, App, PhotoLook};
use termfolio::profile::{self, Profile, Source};
use termfolio::snapshot;

fn profiles() -> Vec<Arc<Profile>> {
    let bundled = profile::parse(profile::BUNDLED, &Source::Bundled).unwrap();
    let cjk = profile::parse(
        include_str!("fixtures/cjk_emoji.toml"),
        &Source::File("cjk_emoji.toml".into()),
    )
    .unwrap();
    let empty = profile::parse("[person]\nname = \"\"\n", &Source::Bundled).unwrap();
    vec![Arc::new(bundled), Arc::new(cjk), Arc::new(empty)]
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        Just(Action::NextTab),
        Just(Action::PrevTab),
        (0usize..12).prop_map(Action::GoTab),
        Just(Action::Up),
        Just(Action::Down),
        Just(Action::PageUp),
        Just(Action::PageDown),
        Just(Action::HalfPageUp),
        Just(Action::HalfPageDown),
        Just(Action::Top),
        Just(Action::Bottom),
        Just(Action::Open),
        Just(Action::Back),
        Just(Action::ToggleHelp),
        Just(Action::ScrollUp),
        Just(Action::ScrollDown),
        Just(Action::OpenLink),
        Just(Action::Copy),
        (0u16..600, 0u16..250).prop_map(|(column, row)| Action::Click { column, row }),
        // Sizes as a terminal or an SSH client might report them, clamped
        // the way every front end clamps them.
        (0u32..70_000, 0u32..70_000).prop_map(|(w, h)| {
            let (w, h) = termfolio::layout::clamp_size(w % 700, h % 300);
            Action::Resize(w, h)
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_actions_at_any_size_render_without_panic(
        which in 0usize..3,
        color in any::<bool>(),
        width in 0u16..400,
        height in 0u16..150,
        actions in proptest::collection::vec(action(), 0..25),
    ) {
        let profile = profiles().swap_remove(which);
        // The bundled profile with its photo, in each of its looks.
        let photo = termfolio::photo::locate(&profile, &Source::Bundled)
            .and_then(Result::ok)
            .map(Arc::new);
        let look = match (color, width % 3) {
            (false, _) => PhotoLook::Blank,
            (true, 0) => PhotoLook::Drawn { truecolor: true },
            (true, 1) => PhotoLook::Drawn { truecolor: false },
            (true, _) => PhotoLook::Graphic {
                kind: termfolio::photo::Graphics::Sixel,
                font: (10, 20),
            },
        };
        let mut app = App::with_photo_at(profile, color, width, height, photo, look);
        for a in actions {
            app.update(a);
            let size = app.size();
            let buf = snapshot::draw(&app);
            prop_assert_eq!(buf.area, size);
            let text = snapshot::to_text(&buf);
            prop_assert_eq!(text.lines().count(), usize::from(size.height));
        }
    }
}
