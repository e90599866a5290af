//! The photo over the built binary: the Bio tab with and without room for
//! it, plain snapshots that keep its room blank, the login card's portrait,
//! and every way a photo can be bad (`check` warns, the viewer shows none).

mod common;

use common::{Sandbox, assert_fits};

/// A profile naming `photo`, in the sandbox.
fn profile_with(sb: &Sandbox, photo: &str) {
    sb.write(
        "profile.toml",
        format!(
            "[person]\nname = \"Ada\"\nphoto = \"{photo}\"\nphoto_caption = \"At the [lake](https://lake.org)\"\n\n[bio]\ntext = \"Hello there, this is the bio text.\"\n"
        ),
    );
}

fn bundled_photo(sb: &Sandbox, name: &str) {
    let bytes = std::fs::read(format!("{}/assets/photo.jpg", common::ROOT)).unwrap();
    sb.write(name, bytes);
}

/// The column where the Bio text starts on the first content row.
fn text_column(screen: &str) -> usize {
    let row = screen.lines().nth(4).expect("a content row");
    let inner = row.trim_start_matches('│');
    1 + inner.len() - inner.trim_start().len()
}

#[test]
fn the_photo_sits_beside_the_text_above_it_or_nowhere() {
    let sb = Sandbox::new();
    for (size, beside) in [("100x30", true), ("200x60", true), ("40x30", false)] {
        let run = sb.run(&["snapshot", "--size", size]);
        run.success();
        let screen = run.out();
        let (w, h) = size.split_once('x').unwrap();
        assert_fits(&screen, w.parse().unwrap(), h.parse().unwrap(), size);
        if beside {
            // The text moved right by the photo's width (at most a third).
            let col = text_column(&screen);
            let width: usize = w.parse().unwrap();
            assert!(
                col > 10 && col <= width / 3 + 4,
                "{size}: text at {col}\n{screen}"
            );
            assert!(
                screen.contains("At the gorgeous"),
                "{size}: caption\n{screen}"
            );
        }
    }
    // Too short for a photo above the text: none, the caption among the facts.
    let run = sb.run(&["snapshot", "--size", "40x12"]);
    run.success();
    assert_eq!(text_column(&run.out()), 2, "{}", run.out());
}

#[test]
fn ansi_snapshots_draw_half_blocks_and_plain_ones_leave_their_room_blank() {
    let sb = Sandbox::new();
    let plain = sb.run(&["snapshot", "--size", "100x30"]);
    plain.success();
    let screen = plain.out();
    assert!(!screen.contains('▀') && !screen.contains('▄'), "{screen}");
    let first = screen.lines().nth(5).unwrap();
    assert!(
        first.starts_with("│    "),
        "blank where the photo goes: {first}"
    );
    let ansi = sb.run(&["snapshot", "--size", "100x30", "--ansi"]);
    ansi.success();
    let out = ansi.out();
    assert!(
        out.contains('▀') || out.contains('▄'),
        "no half blocks:\n{out}"
    );
    assert!(out.contains(";48;2;"), "true colour backgrounds:\n{out}");
    for size in ["1x1", "24x8", "30x10", "500x200"] {
        sb.run(&["snapshot", "--size", size, "--ansi"]).success();
    }
}

#[test]
fn the_login_card_puts_a_portrait_beside_itself_only_when_asked_and_coloured() {
    let sb = Sandbox::new();
    let alone = sb.run(&["banner", "--width", "100", "--color", "always"]);
    alone.success();
    assert!(!alone.out().contains("48;2;"), "no photo unless --photo");
    let with = sb.run(&["banner", "--width", "100", "--color", "always", "--photo"]);
    with.success();
    let out = with.out();
    assert!(out.contains("48;2;"), "a portrait:\n{out}");
    assert!(out.lines().count() <= 16);
    assert_eq!(
        common::strip_sgr(&out)
            .lines()
            .map(common::display_width)
            .max()
            .unwrap(),
        100,
        "never wider than asked"
    );
    // No colour, or no room: the card alone, exactly.
    let plain = sb.run(&["banner", "--width", "100"]);
    let plain_photo = sb.run(&["banner", "--width", "100", "--photo"]);
    assert_eq!(plain.out(), plain_photo.out());
    let narrow = sb.run(&["banner", "--width", "50", "--color", "always"]);
    let narrow_photo = sb.run(&["banner", "--width", "50", "--color", "always", "--photo"]);
    assert_eq!(narrow.out(), narrow_photo.out());
}

#[test]
fn a_photo_beside_the_profile_is_found_and_shown() {
    let sb = Sandbox::new();
    bundled_photo(&sb, "me.jpg");
    profile_with(&sb, "me.jpg");
    sb.run(&["check"]).success();
    let run = sb.run(&["snapshot", "--size", "100x30", "--ansi"]);
    run.success();
    assert!(run.out().contains(";48;2;"), "{}", run.out());
}

#[test]
fn bad_photos_are_warned_about_and_simply_not_shown() {
    let sb = Sandbox::new();
    sb.write("garbage.jpg", "not a picture");
    let half = {
        let png = std::fs::read(format!("{}/tests/fixtures/photo.png", common::ROOT)).unwrap();
        png[..png.len() / 2].to_vec()
    };
    sb.write("cut.png", half);
    // A PNG header that claims 9000x10 pixels.
    let mut wide = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    wide.extend(9000u32.to_be_bytes());
    wide.extend(10u32.to_be_bytes());
    wide.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
    sb.write("wide.png", wide);
    let huge = sb.write("huge.jpg", "");
    std::fs::File::options()
        .write(true)
        .open(&huge)
        .unwrap()
        .set_len(21 * 1024 * 1024)
        .unwrap();
    std::fs::create_dir_all(sb.path().join("dir.jpg")).unwrap();
    for (photo, says) in [
        ("missing.jpg", "does not exist"),
        ("garbage.jpg", "neither a JPEG nor a PNG"),
        ("cut.png", "cannot be decoded"),
        ("wide.png", "9000x10 pixels"),
        ("huge.jpg", "21 MB"),
        ("dir.jpg", "not a regular file"),
    ] {
        profile_with(&sb, photo);
        let run = sb.run(&["check"]);
        run.no_panic().expect_code(0);
        let err = run.err();
        assert!(err.starts_with("warning: photo"), "{photo}: {err}");
        assert!(err.contains(says), "{photo}: {err}");
        assert!(err.contains("profile.toml:3:9"), "{photo}: the line: {err}");
        sb.run(&["check", "--strict"]).failure(1);
        // The viewer shows no photo: the text starts at the left, no blocks.
        let snap = sb.run(&["snapshot", "--size", "100x30", "--ansi"]);
        snap.success();
        assert!(!snap.out().contains(";48;2;"), "{photo}: drawn anyway");
        let ansi = sb.run(&["snapshot", "--size", "100x30", "--ansi"]);
        let plain_ansi = common::strip_sgr(&ansi.out());
        assert_eq!(
            text_column(&plain_ansi),
            2,
            "{photo}: room kept\n{plain_ansi}"
        );
        // A plain snapshot never decodes the photo: only what its header
        // says (or the file's absence) takes its room away.
        let plain = sb.run(&["snapshot", "--size", "100x30"]);
        let col = text_column(&plain.out());
        if photo == "cut.png" {
            assert!(col > 2, "{photo}: {}", plain.out());
        } else {
            assert_eq!(col, 2, "{photo}: room kept\n{}", plain.out());
        }
    }
}
