//! Python models (`models/x.py`, `def model(dbt, session)`): the model the file's stem
//! names, and its `dbt.ref("m")` / `dbt.source("s", "t")` calls at their exact spans, so
//! they follow dataset renames (their string literals) and count as readers for integrity.
//! Comments are skipped; a call whose arguments are not plain strings is dynamic.

use super::calls::{arguments, call};
use super::{Call, Located, Node, NodeKind, Project, ReadFile, Relation};
use std::path::Path;

/// Reads a Python model file: the model it defines and its calls.
pub(crate) fn python_model_file(file: &Path, read: ReadFile<'_>, project: &mut Project) {
    let Some(text) = read(file) else { return };
    if !text.contains("def model") {
        return;
    }
    let Some(name) = file.file_stem().map(|s| s.to_string_lossy().into_owned()) else { return };
    project.calls.extend(python_calls(file, &text));
    project.nodes.push(Node {
        kind: NodeKind::Model,
        relation: Relation { identifier: name.clone(), ..Relation::default() },
        name,
        source: None,
        file: Some(super::shown(file)),
        defined_at: Located::file(file),
        yaml: None,
        identifier_at: None,
        columns: Vec::new(),
        header: Vec::new(),
        produces: None,
    });
}

/// The `dbt.ref(...)` and `dbt.source(...)` calls of a Python text, outside comments.
pub(crate) fn python_calls(path: &Path, text: &str) -> Vec<Call> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for (i, _) in text.match_indices("dbt.") {
        let before = b[..i].last().copied();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.') {
            continue;
        }
        let line_start = text[..i].rfind('\n').map_or(0, |p| p + 1);
        if text[line_start..i].contains('#') {
            continue;
        }
        let at = i + 4;
        let func = ["ref", "source"].into_iter().find(|f| text[at..].starts_with(f));
        let Some(func) = func else { continue };
        let mut open = at + func.len();
        while open < b.len() && b[open].is_ascii_whitespace() {
            open += 1;
        }
        if b.get(open) != Some(&b'(') {
            continue;
        }
        if let Some((args, end)) = arguments(text, open + 1, text.len()) {
            out.push(call(path, text, func, at, end, &args));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::python_calls;
    use std::path::Path;

    #[test]
    fn refs_and_sources_at_their_spans() {
        let t = "def model(dbt, session):\n    # dbt.ref('commented')\n    a = dbt.ref(\"stg_orders\")\n    b = dbt.source('raw', 'events')\n    c = dbt.ref(name)\n    d = mydbt.ref('x')\n    return a\n";
        let calls = python_calls(Path::new("m.py"), t);
        let shown: Vec<String> = calls.iter().map(|c| c.target.to_string()).collect();
        assert_eq!(shown, ["ref('stg_orders')", "source('raw', 'events')", "a dynamic call"]);
        assert_eq!(&t[calls[0].literals[0].start..calls[0].literals[0].end], "stg_orders");
    }
}
