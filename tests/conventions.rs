//! The conventions of a well-kept command line: the LICENSE is the one
//! Cargo.toml names.

mod common;

use std::path::Path;

use common::ROOT;

#[test]
fn the_license_is_mit_as_cargo_toml_says() {
    let license = std::fs::read_to_string(Path::new(ROOT).join("LICENSE")).unwrap();
    assert!(license.starts_with("MIT License\n"), "{license}");
    assert!(
        license.contains("Copyright (c) the termfolio contributors"),
        "{license}"
    );
    assert!(license.contains("THE SOFTWARE IS PROVIDED \"AS IS\""));
    let manifest = std::fs::read_to_string(Path::new(ROOT).join("Cargo.toml")).unwrap();
    assert!(manifest.contains("\nlicense = \"MIT\"\n"));
}
