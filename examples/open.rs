//! Opening a profile in a fresh process, for `bench/all.py`: `open raw FILE`
//! is `toml::from_str` into termfolio's own serde structs (the baseline
//! issue 16 names), `open termfolio FILE` is `profile::parse` (the batched
//! read, sanitizing, ordering). Both read the file first and leave the
//! result to the OS at exit, so the two differ only in the parse.

use std::process::ExitCode;

use termfolio::profile::{self, Profile, Source};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [how, path] = args.as_slice() else {
        eprintln!("usage: open raw|termfolio FILE");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let publications = match how.as_str() {
        "raw" => toml::from_str::<Profile>(&text).map_err(|e| e.to_string()),
        "termfolio" => profile::parse(&text, &Source::File(path.into())).map_err(|e| e.to_string()),
        _ => Err(format!("{how}: neither raw nor termfolio")),
    }
    .map(|p| {
        let n = p.publications.len();
        std::mem::forget(p);
        n
    });
    match publications {
        Ok(n) => {
            println!("{n}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
