//! The sanitizer's invariants: nothing forbidden survives, and sanitizing
//! twice is the same as once.
#![no_main]

use libfuzzer_sys::fuzz_target;
use termfolio::profile::sanitize;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let text = sanitize::text(&input);
    assert_eq!(sanitize::text(&text), text, "text() is idempotent");
    assert!(
        !text.chars().any(|c| c != '\n' && sanitize::is_forbidden(c)),
        "text() leaves no control: {text:?}"
    );
    let line = sanitize::line(&input);
    assert_eq!(sanitize::line(&line), line, "line() is idempotent");
    assert!(
        !line.chars().any(sanitize::is_forbidden),
        "line() leaves no control, not even a newline: {line:?}"
    );
    // Inert text stays inert through the other function.
    assert_eq!(sanitize::text(&line), line);
});
