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

/// The viewer in a pseudo-terminal (`script`) whose keyboard we type on and
/// whose screen we read: a terminal emulator played by the test.
struct Played {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    screen: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
}

impl Played {
    fn start(sb: &Sandbox, env: &[(&str, &str)]) -> Played {
        use std::io::Read;
        use std::process::Stdio;
        let line = format!("stty cols 100 rows 30; exec {}", common::BIN);
        let mut cmd = sb.program("script", &["-qec", &line, "/dev/null"]);
        cmd.env_remove("TMUX").envs(env.iter().copied());
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("script");
        let stdin = child.stdin.take().unwrap();
        let mut out = child.stdout.take().unwrap();
        let screen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = std::sync::Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = out.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Played {
            child,
            stdin,
            screen,
        }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.screen.lock().unwrap()).into_owned()
    }

    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> std::time::Duration {
        let start = std::time::Instant::now();
        while !ok(&self.text()) {
            if start.elapsed() > std::time::Duration::from_secs(10) {
                let text = self.text();
                let _ = std::fs::write("/tmp/played.out", &text);
                panic!(
                    "timed out waiting for {what} ({} bytes in /tmp/played.out): {:?}",
                    text.len(),
                    text.chars().rev().take(300).collect::<String>()
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        start.elapsed()
    }

    fn type_in(&mut self, bytes: &[u8]) {
        use std::io::Write;
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    fn quit(mut self) {
        self.type_in(b"q");
        let start = std::time::Instant::now();
        while self.child.try_wait().unwrap().is_none() {
            assert!(
                start.elapsed() < std::time::Duration::from_secs(10),
                "did not quit"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

const QUERY: &str = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\\x1b[16t\x1b[c";

#[test]
fn a_terminal_that_answers_kitty_gets_the_photo_as_a_kitty_image() {
    let sb = Sandbox::new();
    let mut term = Played::start(&sb, &[]);
    term.wait_for("the graphics query", |s| s.contains(QUERY));
    term.type_in(b"\x1b_Gi=31;OK\x1b\\\x1b[6;20;10t\x1b[?62;22c");
    term.wait_for("a kitty image", |s| {
        s.contains("\x1b_Ga=T,f=100,") && s.contains("Tongtian Zhu")
    });
    let text = term.text();
    assert!(
        !text.contains('▀') && !text.contains('▄'),
        "half blocks as well"
    );
    term.quit();
}

#[test]
fn a_terminal_with_sixel_gets_sixel_and_one_that_never_answers_half_blocks() {
    let sb = Sandbox::new();
    let mut term = Played::start(&sb, &[]);
    term.wait_for("the graphics query", |s| s.contains(QUERY));
    term.type_in(b"\x1b[6;17;9t\x1b[?63;1;2;4;6;9;15;22c");
    term.wait_for("a sixel image", |s| {
        s.match_indices("\x1bP")
            .any(|(i, _)| s[i..].chars().take(12).any(|c| c == 'q'))
    });
    term.quit();

    // Silence: the viewer waits the timeout (100 ms), once, then draws half blocks.
    let silent = Played::start(&sb, &[]);
    silent.wait_for("the graphics query", |s| s.contains(QUERY));
    let waited = silent.wait_for("half blocks", |s| s.contains('▀') || s.contains('▄'));
    assert!(
        waited < std::time::Duration::from_millis(1500),
        "took {waited:?} to draw"
    );
    assert!(silent.text().contains("Tongtian Zhu"));
    silent.quit();
}
