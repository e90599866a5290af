//! termfolio: an academic profile in the terminal.
//!
//! `profile` parses and sanitizes `profile.toml`; `app` is the model; `ui` the
//! view; `tui`, `snapshot` and `plain` are front ends.

pub mod app;
pub mod banner;
pub mod bibtex;
pub mod cli;
pub mod clipboard;
pub mod plain;
pub mod profile;
#[cfg(feature = "ssh")]
pub mod serve;
pub mod snapshot;
pub mod tui;
pub mod ui;
