//! The front matter of a Jekyll page or news item, from any text: never a
//! panic, a hang or a huge allocation (the YAML budgets hold); the body is
//! the end of the text, all of it when there is no front matter; an error
//! message is inert.
#![no_main]

use libfuzzer_sys::fuzz_target;
use termfolio::profile::sanitize;
use termfolio::site;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let unmarked = text.strip_prefix('\u{feff}').unwrap_or(text);
    match site::read_front_matter(text) {
        Ok(front) => {
            assert!(
                text.ends_with(front.body),
                "the body is what follows the front matter"
            );
            if !unmarked.starts_with("---") {
                assert_eq!(front.data, site::Yaml::Null);
                assert_eq!(front.body, unmarked);
            }
        }
        Err(e) => {
            let msg = e.to_string();
            assert_eq!(sanitize::line(&msg), msg, "an error message is inert");
        }
    }
});
