//! `--dbt-rename alias`: a model or seed keeps its dbt name (no `ref()` changes) and its
//! relation is renamed through its `alias` config: the `alias=` of the model's
//! `{{ config(...) }}` when it has one, else its YAML entry's `config: alias:`, else a new
//! `{{ config(alias='new') }}` at the top of the model.

use super::calls::config_call;
use super::renaming::{at_node, plain_name, Blocker, Work};
use super::yaml::{entry, get, items, str_of, Offsets};
use super::{read_disk, DatasetMatch, Located, NodeKind};
use crate::dbt_yaml::replacement;
use crate::ids::DBT_RENAME;
use ripple_core::{Confidence, Edit};
use saphyr::{LoadableYamlNode, MarkedYaml};
use std::path::PathBuf;

/// The edits that give `m` the alias `new`.
pub(crate) fn alias_edits(m: &DatasetMatch<'_>, new: &str, i: usize) -> Result<Work, Vec<Blocker>> {
    let node = m.node;
    let fail = |why: String| Err(vec![(at_node(node), why)]);
    if node.relation.identifier == new {
        // Renamed already: running again changes nothing.
        return Ok(Work::default());
    }
    if !plain_name(new) {
        return fail(format!("{new} is not a plain name for an alias"));
    }
    let one = |path: PathBuf, start: usize, end: usize, text: String| {
        let edit = Edit {
            start,
            end,
            replacement: text,
            rule: DBT_RENAME.id.into(),
            change: i,
            confidence: Confidence::Certain,
        };
        Ok(Work { edits: vec![(path, edit)], ..Work::default() })
    };
    let entry =
        m.project.entries.iter().find(|e| e.kind == node.kind && e.name.eq_ignore_ascii_case(&node.name));
    let sql = node.file.as_ref().filter(|_| node.kind == NodeKind::Model);
    if let Some((file, text)) = sql.and_then(|f| read_disk(f).map(|t| (f, t))) {
        match config_call(&text) {
            Some(c) => match c.alias {
                Some(Some((s, e))) => return one(file.clone(), s, e, new.to_string()),
                Some(None) => return fail("its alias is not a plain string".into()),
                None if node.relation.identifier != node.name => {
                    return fail("its alias is set in YAML or dbt_project.yml, not in its config()".into())
                }
                None => {
                    let at = text[..c.close].trim_end().len();
                    let sep = match text[..at].chars().next_back() {
                        Some('(') => "",
                        Some(',') => " ",
                        _ => ", ",
                    };
                    return one(file.clone(), at, at, format!("{sep}alias='{new}'"));
                }
            },
            None if entry.is_none() => {
                let at = if text.starts_with('\u{feff}') { 3 } else { 0 };
                return one(file.clone(), at, at, format!("{{{{ config(alias='{new}') }}}}\n"));
            }
            None => {}
        }
    }
    let Some(entry) = entry else {
        return fail(format!("{} {} has no YAML entry to carry an alias", node.kind.word(), node.name));
    };
    match yaml_alias(&entry.at, &node.name, node.kind, new) {
        Ok((s, e, text)) => one(entry.at.path.clone(), s, e, text),
        Err(why) => Err(vec![(entry.at.clone(), why)]),
    }
}

/// The edit that sets `config: alias: new` in the YAML entry whose `name:` is at `at`.
fn yaml_alias(at: &Located, name: &str, kind: NodeKind, new: &str) -> Result<(usize, usize, String), String> {
    let text = read_disk(&at.path).ok_or("its YAML file cannot be read")?;
    let docs =
        MarkedYaml::load_from_str(&text).map_err(|e| format!("its YAML does not load: {}", e.info()))?;
    let offsets = Offsets::new(&text);
    let section = if kind == NodeKind::Seed { "seeds" } else { "models" };
    let model = docs
        .iter()
        .flat_map(|d| items(get(d, section)))
        .find(|m| get(m, "name").is_some_and(|n| offsets.span(n).0 == at.start))
        .ok_or("its YAML entry was not found again")?;
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    match entry(model, "config") {
        Some((_, config)) => {
            if let Some((_, value)) = entry(config, "alias") {
                let (s, e) = offsets.span(value);
                let old = str_of(value).ok_or("its alias is not a string")?;
                return replacement(&text, (s, e), old, new).map(|r| (s, e, r));
            }
            let (key, _) =
                super::yaml::pairs(config).into_iter().next().ok_or("its config: is not a mapping")?;
            let key_start = offsets.span(key).0;
            let line_start = text[..key_start].rfind('\n').map_or(0, |p| p + 1);
            let indent = &text[line_start..key_start];
            if !indent.chars().all(|c| c == ' ') {
                return Err("its config: is not laid out one key a line".into());
            }
            Ok((line_start, line_start, format!("{indent}alias: {new}{eol}")))
        }
        None => {
            let (key, value) = entry(model, "name").ok_or("its YAML entry has no name")?;
            let (key_start, value_end) = (offsets.span(key).0, offsets.span(value).1);
            let line_start = text[..key_start].rfind('\n').map_or(0, |p| p + 1);
            let line_end = text[value_end..].find(['\r', '\n']).map_or(text.len(), |p| value_end + p);
            let before = text[line_start..key_start].trim();
            let after = text[value_end..line_end].trim_start();
            if !(before.is_empty() || before == "-") || !(after.is_empty() || after.starts_with('#')) {
                return Err(format!("its YAML entry {name} is not laid out one key a line"));
            }
            let indent: String = text[line_start..key_start].chars().map(|_| ' ').collect();
            Ok((line_end, line_end, format!("{eol}{indent}config:{eol}{indent}  alias: {new}")))
        }
    }
}
