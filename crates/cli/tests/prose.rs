//! End-to-end: files that name a change only in comments and docstrings get the findings a
//! parse gives them (comments, docstrings, a notebook cell, a historical migration, a
//! suppressed line), and their look-alikes (a docstring after a comment, an f-string
//! docstring, a field spelling the column, `//` inside a string) are parsed.

mod common;

use common::{ripple_ok, root, scrub};

#[test]
fn prose_only_files() {
    let out =
        ripple_ok(&root(), &["plan", "-v", "--changes", "fixtures/prose/changes.yaml", "fixtures/prose"]);
    insta::assert_snapshot!("prose_only_files", scrub(&out));
}
