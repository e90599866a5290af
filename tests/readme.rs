//! README's figures table is the one `bench/all.py` writes: the same header
//! and the same rows, in order (the numbers are the script's business).

use std::process::Command;

const BEGIN: &str = "<!-- figures:begin (bench/all.py --write-readme) -->";
const END: &str = "<!-- figures:end -->";

/// The first cell of each row of a markdown table, and its header cells.
fn shape(table: &str) -> (Vec<String>, Vec<String>) {
    let cells = |line: &str| -> Vec<String> {
        line.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_string())
            .collect()
    };
    let mut lines = table.lines().filter(|l| l.trim_start().starts_with('|'));
    let header = lines.next().map(cells).unwrap_or_default();
    let rows = lines
        .skip(1)
        .map(|l| cells(l).into_iter().next().unwrap_or_default())
        .collect();
    (header, rows)
}

#[test]
fn readme_figures_table_has_the_rows_the_script_writes() {
    let out = Command::new("python3")
        .args(["bench/all.py", "--layout"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("python3 runs bench/all.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let layout = String::from_utf8(out.stdout).unwrap();
    let readme = include_str!("../README.md");
    let start = readme.find(BEGIN).expect("README has the figures block") + BEGIN.len();
    let end = readme[start..].find(END).expect("the block ends") + start;
    let table = &readme[start..end];
    let (header, rows) = shape(table);
    let (want_header, want_rows) = shape(&layout);
    assert_eq!(header, want_header, "README's figures table header");
    assert_eq!(rows, want_rows, "README's figures table rows");
    assert_eq!(want_header.len(), 4);
    for line in table.lines().filter(|l| l.starts_with('|')).skip(2) {
        assert_eq!(
            line.matches('|').count(),
            want_header.len() + 1,
            "a row with the wrong number of cells: {line}"
        );
    }
}

#[test]
fn the_shape_check_sees_a_missing_row() {
    let (_, rows) = shape("| a | b |\n| --- | --- |\n| one | 1 |\n| two | 2 |\n");
    assert_eq!(rows, ["one", "two"]);
    assert_ne!(rows, ["one"]);
}
