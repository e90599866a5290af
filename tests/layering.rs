//! The layers of `../shared/STYLE.md` hold: profile → documents → geometry
//! → model → view → front ends, each module importing only from its own
//! layer or those below. An upward `crate::` path anywhere in `src/` fails.

use std::fs;
use std::path::Path;

/// Each top-level module of `src/` and its layer; anything else is a front end.
const LAYERS: &[(&str, usize)] = &[
    ("profile", 0),
    ("bibtex", 0),
    ("doc", 1),
    ("photo", 1),
    ("layout", 2),
    ("app", 3),
    ("ui", 4),
];
const FRONT_END: usize = 5;

fn layer(module: &str) -> usize {
    LAYERS
        .iter()
        .find(|(m, _)| *m == module)
        .map_or(FRONT_END, |(_, l)| *l)
}

/// Every `crate::NAME` in `text` that names a module above `module`'s layer.
fn upward_uses(module: &str, text: &str) -> Vec<String> {
    let own = layer(module);
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            // `crate::{a, b}` lists: check each name.
            let names: Vec<String> = if rest.starts_with('{') {
                rest[1..rest.find('}').unwrap_or(rest.len())]
                    .split(',')
                    .map(|s| s.trim().split("::").next().unwrap_or("").to_string())
                    .collect()
            } else {
                vec![name]
            };
            for name in names.into_iter().filter(|n| !n.is_empty()) {
                if layer(&name) > own {
                    found.push(format!("{module}:{}: uses crate::{name}", n + 1));
                }
            }
        }
    }
    found
}

fn visit(dir: &Path, module: Option<&str>, out: &mut Vec<String>) {
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let module = module.map_or(name.clone(), str::to_string);
        if path.is_dir() {
            visit(&path, Some(&module), out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).unwrap();
            out.extend(
                upward_uses(&module, &text)
                    .into_iter()
                    .map(|f| format!("{} ({f})", path.display())),
            );
        }
    }
}

#[test]
fn no_module_imports_from_a_layer_above_it() {
    let mut found = Vec::new();
    visit(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        None,
        &mut found,
    );
    assert!(found.is_empty(), "upward imports:\n{}", found.join("\n"));
}

#[test]
fn the_check_sees_upward_imports() {
    assert_eq!(
        upward_uses("app", "use crate::ui::{self, Theme};"),
        ["app:1: uses crate::ui"]
    );
    assert_eq!(
        upward_uses("doc", "use crate::{profile::Profile, app::Tab};"),
        ["doc:1: uses crate::app"]
    );
    assert!(upward_uses("doc", "let w = crate::profile::x(); // crate::ui").is_empty());
    assert!(upward_uses("serve", "use crate::ui;").is_empty());
}
