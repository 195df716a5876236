//! A model's or snapshot's SQL file: its `ref()`/`source()` calls at their exact spans, its
//! `{{ config(...) }}`, and the dataset it defines.

use super::project_file::{Configs, ProjectConfig};
use super::properties::Properties;
use super::{Call, CallTarget, Located, Node, NodeKind, Project, ReadFile, Relation};
use crate::source::jinja::{self, BlockKind};
use crate::source::jinja_calls::{arguments_with, names, skip_ws, string, value_end};
use std::path::Path;

/// One argument of a Jinja call: `'x'` or `key='x'`; `value` is `None` when it is not a plain
/// string literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Arg {
    key: Option<String>,
    /// The literal's content and its byte span (without quotes) in the file.
    value: Option<(String, usize, usize)>,
}

/// Reads a model file: the model it defines and its calls.
pub(crate) fn model_file(
    file: &Path,
    read: ReadFile<'_>,
    config: &ProjectConfig,
    props: &Properties,
    project: &mut Project,
) {
    let Some(text) = read(file) else { return };
    let Some(name) = file.file_stem().map(|s| s.to_string_lossy().into_owned()) else { return };
    let mut configs = config.configs_for(&project.root, NodeKind::Model, &config.model_paths, file);
    let entry = props.entry(NodeKind::Model, &name);
    if let Some((_, _, yaml)) = entry {
        configs.overlay(yaml);
    }
    let (calls, in_file) = scan(file, &text);
    configs.overlay(&in_file);
    project.calls.extend(calls);
    let relation = relation(&configs, &name, true);
    project.nodes.push(Node {
        columns: entry.map(|(_, c, _)| c.to_vec()).unwrap_or_default(),
        produces: entry.filter(|(_, c, _)| !c.is_empty()).and_then(|_| produced(&text)),
        ..file_dataset(NodeKind::Model, file, name, relation, entry.map(|(e, ..)| e.at.clone()))
    });
}

/// The dataset a model or seed file defines, without its columns: named `name`, its YAML
/// entry's `name:` at `yaml`.
pub(crate) fn file_dataset(
    kind: NodeKind,
    file: &Path,
    name: String,
    relation: Relation,
    yaml: Option<Located>,
) -> Node {
    Node {
        kind,
        relation,
        name,
        source: None,
        file: Some(super::shown(file)),
        defined_at: Located::file(file),
        yaml,
        identifier_at: None,
        columns: Vec::new(),
        header: Vec::new(),
        produces: None,
    }
}

/// The output names of a model's SQL, when it has no Jinja control flow (a loop or branch
/// makes outputs of its own) and each name is written in the file (not made by Jinja).
pub(crate) fn produced(text: &str) -> Option<Vec<String>> {
    if text.contains("{%") {
        return None;
    }
    let columns = crate::catalog::model_columns(text, ripple_core::Dialect::default())?;
    let lower = text.to_lowercase();
    let written = columns.iter().all(|c| lower.contains(&c.value.to_lowercase()));
    written.then(|| columns.into_iter().map(|c| c.value).collect())
}

/// Reads a snapshot file: each `{% snapshot name %}` block is a dataset in its
/// `target_schema`.
pub(crate) fn snapshot_file(file: &Path, read: ReadFile<'_>, props: &Properties, project: &mut Project) {
    let Some(text) = read(file) else { return };
    let masked = jinja::mask(&text);
    let (calls, configs) = scan(file, &text);
    project.calls.extend(calls);
    for b in masked.blocks.iter().filter(|b| b.kind == BlockKind::Statement) {
        let inner = text[b.start + 2..b.end - 2].trim_matches(|c: char| c == '-' || c.is_whitespace());
        let Some(name) = inner.strip_prefix("snapshot").filter(|r| r.starts_with(char::is_whitespace)) else {
            continue;
        };
        let name = name.trim().to_string();
        let at = text[b.start..b.end].find(&name).map_or(b.start, |i| b.start + i);
        let entry = props.entry(NodeKind::Snapshot, &name);
        let mut configs = configs.clone();
        if let Some((_, _, yaml)) = entry {
            let mut merged = yaml.clone();
            merged.overlay(&configs);
            configs = merged;
        }
        project.nodes.push(Node {
            kind: NodeKind::Snapshot,
            relation: relation(&configs, &name, false),
            name: name.clone(),
            source: None,
            file: Some(super::shown(file)),
            defined_at: Located::new(file, &text, at, at + name.len()),
            yaml: entry.map(|(e, ..)| e.at.clone()),
            identifier_at: None,
            columns: entry.map(|(_, c, _)| c.to_vec()).unwrap_or_default(),
            header: Vec::new(),
            produces: None,
        });
    }
}

/// Where a dataset with these configs lands. A model's `schema` is custom (dbt's default
/// rule prefixes the target's schema); a snapshot's `target_schema` is exact.
pub(crate) fn relation(configs: &Configs, name: &str, custom: bool) -> Relation {
    let (schema, custom_schema) = match &configs.schema {
        Some(s) if custom => (None, Some(s.clone())),
        s => (s.clone(), None),
    };
    Relation {
        database: configs.database.clone(),
        schema,
        custom_schema,
        identifier: configs.alias.clone().unwrap_or_else(|| name.to_string()),
        compiled: false,
    }
}

/// The calls of a file and the configs its `config(...)` calls set.
pub(crate) fn scan(path: &Path, text: &str) -> (Vec<Call>, Configs) {
    let mut calls = Vec::new();
    let mut configs = Configs::default();
    for b in jinja::mask(text).blocks.iter().filter(|b| b.kind != BlockKind::Comment) {
        for (func, start, end, args) in functions(text, b.start + 2, b.end - 2) {
            match func.as_str() {
                "ref" | "source" => calls.push(call(path, text, &func, start, end, &args)),
                "config" => {
                    for a in &args {
                        let (Some(key), Some((v, ..))) = (&a.key, &a.value) else { continue };
                        match key.as_str() {
                            "schema" | "target_schema" => configs.schema = Some(v.clone()),
                            "alias" => configs.alias = Some(v.clone()),
                            "database" | "target_database" | "project" => configs.database = Some(v.clone()),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }
    (calls, configs)
}

/// The `ref()`/`source()` calls written anywhere in a text, not only inside Jinja: a
/// properties file's `to: ref('m')` (a relationships test).
pub(crate) fn bare_calls(path: &Path, text: &str) -> Vec<Call> {
    functions(text, 0, text.len())
        .into_iter()
        .filter(|(func, ..)| func != "config")
        .map(|(func, start, end, args)| call(path, text, &func, start, end, &args))
        .collect()
}

/// A model file's first `{{ config(...) }}`: the offset of its closing `)` and the content
/// span of its `alias=` literal (`None` when it has no alias; `Some(None)` when the alias is
/// not a plain literal).
pub(crate) struct ConfigCall {
    pub close: usize,
    pub alias: Option<Option<(usize, usize)>>,
}

pub(crate) fn config_call(text: &str) -> Option<ConfigCall> {
    let blocks = jinja::mask(text).blocks;
    let b =
        blocks.iter().find(|b| b.kind == BlockKind::Expression && text[b.start..b.end].contains("config"))?;
    let (_, _, end, args) =
        functions(text, b.start + 2, b.end - 2).into_iter().find(|(f, ..)| f == "config")?;
    let alias = args
        .iter()
        .find(|a| a.key.as_deref() == Some("alias"))
        .map(|a| a.value.as_ref().map(|(_, s, e)| (*s, *e)));
    Some(ConfigCall { close: end - 1, alias })
}

pub(super) fn call(path: &Path, text: &str, func: &str, start: usize, end: usize, args: &[Arg]) -> Call {
    let positional: Vec<&Arg> = args.iter().filter(|a| a.key.is_none()).collect();
    let values: Option<Vec<&(String, usize, usize)>> = positional.iter().map(|a| a.value.as_ref()).collect();
    let values = values.unwrap_or_default();
    let names: Vec<String> = values.iter().map(|v| v.0.clone()).collect();
    let target = match (func, names.as_slice()) {
        _ if values.len() != positional.len() => CallTarget::Dynamic,
        ("ref", [name]) => CallTarget::Ref { package: None, name: name.clone() },
        ("ref", [package, name]) => CallTarget::Ref { package: Some(package.clone()), name: name.clone() },
        ("source", [source, table]) => CallTarget::Source { source: source.clone(), table: table.clone() },
        _ => CallTarget::Dynamic,
    };
    Call {
        target,
        at: Located::new(path, text, start, end),
        literals: values.iter().map(|(_, s, e)| Located::new(path, text, *s, *e)).collect(),
    }
}

/// The calls `name(args)` in `text[from..to]` whose name is `ref`, `source` or `config`:
/// name, span of the whole call, arguments.
fn functions(text: &str, from: usize, to: usize) -> Vec<(String, usize, usize, Vec<Arg>)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    names(text, from, to, |i, word_end| {
        let word = &text[i..word_end];
        let open = skip_ws(b, word_end, to);
        if !matches!(word, "ref" | "source" | "config") || open >= to || b[open] != b'(' {
            return None;
        }
        let (args, end) = arguments(text, open + 1, to)?;
        out.push((word.to_string(), i, end, args));
        Some(open + 1)
    });
    out
}

/// The arguments after `(` at `i`, and the offset after the closing `)`; `None` if the
/// call does not close in range.
pub(super) fn arguments(text: &str, i: usize, to: usize) -> Option<(Vec<Arg>, usize)> {
    let b = text.as_bytes();
    arguments_with(text, i, to, |key, i| {
        let value = string(text, i, to);
        let end = match value {
            Some((_, _, end)) => end,
            None => value_end(b, i, to, b",)")?,
        };
        let next = skip_ws(b, end, to);
        let plain = value.filter(|_| next < to && (b[next] == b',' || b[next] == b')'));
        let arg = Arg { key, value: plain.map(|(v, s, _)| (v.to_string(), s, s + v.len())) };
        Some((arg, if plain.is_some() { next } else { value_end(b, end, to, b",)")? }))
    })
}

/// The plain string literals inside the Jinja blocks of `text` (not comments): content and
/// the content's byte span.
pub(crate) fn jinja_literals(text: &str) -> Vec<(&str, usize, usize)> {
    let mut out = Vec::new();
    for b in jinja::mask(text).blocks.iter().filter(|b| b.kind != BlockKind::Comment) {
        let (mut i, to) = (b.start + 2, b.end - 2);
        while i < to {
            let c = text.as_bytes()[i];
            if c != b'\'' && c != b'"' {
                i += 1;
                continue;
            }
            match string(text, i, to) {
                Some((v, s, e)) => {
                    out.push((v, s, s + v.len()));
                    i = e;
                }
                None => break,
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(text: &str) -> Vec<String> {
        scan(Path::new("m.sql"), text).0.iter().map(|c| c.target.to_string()).collect()
    }

    #[test]
    fn calls_in_expressions_and_statements() {
        let t = "{% set x = ref('a') %}\nselect * from {{ ref(\"pkg\", 'b') }} join {{ source('s', 't') }}\n{{ ref('c', v=2) }} {{ ref(var('m')) }} {{ my.ref('z') }} {{ 'ref(\"q\")' }}";
        assert_eq!(
            targets(t),
            ["ref('a')", "ref('pkg', 'b')", "source('s', 't')", "ref('c')", "a dynamic call"]
        );
    }

    #[test]
    fn literal_spans_are_exact() {
        let t = "select * from {{ source( 'app' , \"users\" ) }}";
        let (calls, _) = scan(Path::new("m.sql"), t);
        let spans: Vec<&str> = calls[0].literals.iter().map(|l| &t[l.start..l.end]).collect();
        assert_eq!(spans, ["app", "users"]);
        assert_eq!(&t[calls[0].at.start..calls[0].at.end], "source( 'app' , \"users\" )");
    }

    #[test]
    fn config_sets_alias_schema_database() {
        let t = "{{ config(materialized='table', alias='dim_users', schema=\"marts\", database='analytics') }}\nselect 1";
        let (_, c) = scan(Path::new("m.sql"), t);
        assert_eq!(c.alias.as_deref(), Some("dim_users"));
        assert_eq!(c.schema.as_deref(), Some("marts"));
        assert_eq!(c.database.as_deref(), Some("analytics"));
        // A config whose value is an expression sets nothing.
        let (_, c) = scan(Path::new("m.sql"), "{{ config(alias=var('a')) }}");
        assert_eq!(c.alias, None);
    }

    #[test]
    fn outputs_are_known_only_without_jinja_control_flow_or_made_names() {
        let plain = "select id as customer_id, {{ cents_to_dollars('c') }} as amount from {{ ref('a') }}";
        assert_eq!(produced(plain), Some(vec!["customer_id".to_string(), "amount".to_string()]));
        assert_eq!(produced("select {% if x %}a{% else %}b{% endif %} as c from t"), None);
        assert_eq!(produced("select 1 as {{ var('name') }}_today from t"), None);
        assert_eq!(produced("select * from {{ ref('a') }}"), None);
    }

    #[test]
    fn unclosed_or_escaped_calls_are_dynamic_or_skipped() {
        assert!(targets("{{ ref('a' }}").is_empty());
        assert_eq!(targets("{{ ref('a\\'b') }}"), ["a dynamic call"]);
        assert_eq!(targets("{{ ref('a' ~ x) }}"), ["a dynamic call"]);
    }
}
