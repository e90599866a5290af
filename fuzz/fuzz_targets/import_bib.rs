//! `import-bib` on any bytes: it ends (bounded depth and expansion), every
//! publication it gives is inert, and what `export-bib` writes of them
//! imports again to the same publications, field for field.
#![no_main]

use libfuzzer_sys::fuzz_target;
use termfolio::{bibtex, profile::sanitize};

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let first = bibtex::import(&input);
    for p in &first.publications {
        assert!(!p.title.chars().any(sanitize::is_forbidden), "{p:?}");
    }
    let again = bibtex::import(&bibtex::export(&first.publications));
    let errors: Vec<_> = again.problems.iter().filter(|p| p.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(again.publications.len(), first.publications.len());
    for (a, b) in first.publications.iter().zip(&again.publications) {
        // export-bib makes keys unique; the rest must be the same.
        assert_eq!(
            termfolio::profile::Publication { key: None, ..a.clone() },
            termfolio::profile::Publication { key: None, ..b.clone() }
        );
    }
});
