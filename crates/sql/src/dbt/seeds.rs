//! Seeds: a CSV file under a seed path is a dataset named by its stem, whose columns are its
//! header's fields.

use super::calls::{file_dataset, relation};
use super::project_file::ProjectConfig;
use super::properties::Properties;
use super::{Column, Located, Node, NodeKind, Project, ReadFile};
use std::path::Path;

pub(crate) fn seed_file(
    file: &Path,
    read: ReadFile<'_>,
    config: &ProjectConfig,
    props: &Properties,
    project: &mut Project,
) {
    let Some(name) = file.file_stem().map(|s| s.to_string_lossy().into_owned()) else { return };
    let header = read(file).map(|t| header(file, &t)).unwrap_or_default();
    let mut configs = config.configs_for(&project.root, NodeKind::Seed, &config.seed_paths, file);
    let entry = props.entry(NodeKind::Seed, &name);
    if let Some((_, _, yaml)) = entry {
        configs.overlay(yaml);
    }
    let columns = match entry {
        Some((_, c, _)) if !c.is_empty() => c.to_vec(),
        _ => header.clone(),
    };
    let relation = relation(&configs, &name, true);
    let yaml = entry.map(|(e, ..)| e.at.clone());
    project.nodes.push(Node { columns, header, ..file_dataset(NodeKind::Seed, file, name, relation, yaml) });
}

/// The fields of a CSV text's first line, each at the span of its content (inside quotes
/// for a quoted field). A BOM is skipped.
pub(crate) fn header(path: &Path, text: &str) -> Vec<Column> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let line_end = text[start..].find(['\n', '\r']).map_or(text.len(), |i| start + i);
    let mut out = Vec::new();
    let mut i = start;
    while i <= line_end {
        let field_end = next_field_end(text, i, line_end);
        let raw = &text[i..field_end];
        let trimmed_start = i + (raw.len() - raw.trim_start().len());
        let trimmed = raw.trim();
        let (s, e) = if trimmed.len() >= 2 && trimmed.starts_with('"') && trimmed.ends_with('"') {
            (trimmed_start + 1, trimmed_start + trimmed.len() - 1)
        } else {
            (trimmed_start, trimmed_start + trimmed.len())
        };
        if e > s || field_end < line_end {
            out.push(Column {
                name: text[s..e].replace("\"\"", "\""),
                data_type: None,
                at: Located::new(path, text, s, e),
            });
        }
        i = field_end + 1;
    }
    out
}

/// The end of the field starting at `i`: the next comma outside quotes, or the line's end.
fn next_field_end(text: &str, i: usize, line_end: usize) -> usize {
    let b = text.as_bytes();
    let mut quoted = false;
    for (j, &c) in b.iter().enumerate().take(line_end).skip(i) {
        match c {
            b'"' => quoted = !quoted,
            b',' if !quoted => return j,
            _ => {}
        }
    }
    line_end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_fields_and_spans() {
        let t = "\u{feff}id, \"first name\",email\r\n1,a,b\n";
        let cols = header(Path::new("s.csv"), t);
        let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["id", "first name", "email"]);
        assert_eq!(&t[cols[1].at.start..cols[1].at.end], "first name");
        assert_eq!(cols[2].at.column, 19);
        assert!(header(Path::new("e.csv"), "").is_empty());
    }
}
