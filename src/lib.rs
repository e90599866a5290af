//! termfolio: an academic profile in the terminal.
//!
//! Layers, each importing only those before it: `profile` parses, validates
//! and sanitizes `profile.toml` (with `bibtex`); `doc` builds documents with
//! style roles and lays them out by display width; `layout` is the screen's
//! geometry; `app` is the model; `ui` the view. The front ends (`tui`,
//! `snapshot`, `plain`, `banner`, `serve`) own all I/O; so does `site`, the
//! al-folio importer (`import-site`), which reads a whole site into a
//! profile through `profile` and `bibtex`.

pub(crate) mod ansi;
pub mod app;
pub mod banner;
pub mod bibtex;
pub mod cli;
pub(crate) mod doc;
pub mod frontend;
pub mod generate;
pub mod layout;
pub mod photo;
pub mod plain;
pub mod profile;
pub(crate) mod screen;
#[cfg(feature = "ssh")]
pub mod serve;
#[cfg(feature = "import")]
pub mod site;
pub mod snapshot;
pub mod starter;
pub mod tui;
pub mod ui;
