//! dbt `schema.yml` / `sources.yml`: the column entries that describe a changed table follow
//! the change. A `sources:` table (its `identifier:`, else its `name:`, in the schema its
//! `schema:` or the source's name gives) is the table of the same name; a `models:` (or
//! `seeds:`, `snapshots:`) entry is the table its name gives, which changes only through a
//! change of that model (with output names propagating, the derived ones). A renamed source
//! table gets `identifier: <new>` and keeps its `name:`, so every `source()` call still
//! resolves; one that has an `identifier:` has it renamed. Under `--dbt-rename names` the
//! dbt stage renames the entry and its `source()` calls together instead.
//!
//! The YAML is loaded for its structure and edited as text at the exact span of a `name:`
//! value, so comments, quoting and layout stay. A span that cannot be checked against the
//! text (anchors, tags, escapes, multi-line scalars) is a finding, never a guess; a dropped
//! column's entry is a finding, never a deletion; a retyped column's `data_type` follows.
//! Semantic models over a model read its columns too (`semantic`).

use crate::dbt::yaml::{entry, get, items, str_of, Entry, Offsets};
use crate::ids;
use ripple_core::{
    Change, Confidence, DbtRename, Lang, Rule, RuleContext, RuleOutput, Severity, SourceFile, TableMatch,
    TableName,
};
use saphyr::{LoadableYamlNode, MarkedYaml};

mod semantic;

/// The rule id of dbt YAML edits and findings.
pub const RULE: &str = ids::DBT_COLUMNS.id;

/// The rule that renames and reports columns in dbt `schema.yml` files.
pub struct DbtYaml;

impl Rule for DbtYaml {
    fn id(&self) -> &str {
        RULE
    }

    fn language(&self) -> Lang {
        Lang::Yaml
    }

    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        out.extend(analyse(file.text, ctx.changes, ctx.options.dbt_rename));
    }
}

/// The edits and findings of one dbt YAML text for a change set.
pub fn analyse(text: &str, changes: &ripple_core::ChangeSet, mode: DbtRename) -> RuleOutput {
    let mut out = RuleOutput::default();
    let docs = match MarkedYaml::load_from_str(text) {
        Ok(d) => d,
        Err(e) => {
            let at = Offsets::new(text).byte(e.marker().index());
            out.finding(
                (at, at),
                RULE,
                None,
                Severity::Review,
                format!(
                    "this dbt YAML file mentions a changed name but does not load ({}); not checked",
                    e.info()
                ),
            );
            return out;
        }
    };
    let mut w = Walker { text, offsets: Offsets::new(text), changes, mode, out };
    for doc in &docs {
        w.document(doc);
    }
    w.out
}

/// What a YAML entry describes: its table and how surely it is the changed one.
fn entry_matches(candidates: &[Vec<&str>], table: &TableName) -> Option<Confidence> {
    let mut best = None;
    for parts in candidates {
        let refs: Vec<(&str, bool)> = parts.iter().map(|p| (*p, false)).collect();
        let conf = match table.matches_parts(&refs) {
            TableMatch::Exact => Confidence::Certain,
            TableMatch::Unqualified => Confidence::Likely,
            TableMatch::No => continue,
        };
        best = Some(best.map_or(conf, |b: Confidence| b.max(conf)));
    }
    best
}

struct Walker<'a> {
    text: &'a str,
    offsets: Offsets,
    changes: &'a ripple_core::ChangeSet,
    mode: DbtRename,
    out: RuleOutput,
}

impl Walker<'_> {
    fn span(&self, node: &MarkedYaml<'_>) -> (usize, usize) {
        self.offsets.span(node)
    }

    fn document(&mut self, doc: &MarkedYaml<'_>) {
        for source in items(get(doc, "sources")) {
            let Some(source_name) = get(source, "name").and_then(str_of) else { continue };
            let schema = get(source, "schema").and_then(str_of);
            for table in items(get(source, "tables")) {
                let name_node = entry(table, "name");
                let identifier_node = entry(table, "identifier");
                let Some(relation) = identifier_node.or(name_node).and_then(|(_, v)| str_of(v)) else {
                    continue;
                };
                let mut candidates = vec![vec![source_name, relation]];
                if let Some(s) = schema {
                    candidates.push(vec![s, relation]);
                }
                // Its dbt name, `source('s', 'name')`, written in full, names it too.
                let dbt_name = name_node.and_then(|(_, v)| str_of(v)).filter(|n| *n != relation);
                let label = format!("source table {source_name}.{relation}");
                for (i, change) in self.changes.iter() {
                    let by_dbt_name = dbt_name
                        .filter(|_| change.table().parts.len() == 2)
                        .and_then(|n| entry_matches(&[vec![source_name, n]], change.table()));
                    let Some(conf) = entry_matches(&candidates, change.table()).or(by_dbt_name) else {
                        continue;
                    };
                    match change {
                        Change::RenameTable { to, .. } => match (identifier_node, name_node) {
                            (Some(e), _) => self.rename(e, &to.name().value, i, conf, &label),
                            // The dbt stage renames the name and its source() calls together.
                            (None, Some(_)) if self.mode == DbtRename::Names => {}
                            // The dbt name stays, so every source() call keeps resolving.
                            (None, Some(e)) => self.add_identifier(e, &to.name().value, i, conf, &label),
                            (None, None) => {}
                        },
                        _ => {
                            self.columns(table, i, change, conf, &label);
                            self.loaded_at_field(table, i, change, conf, &label);
                        }
                    }
                }
            }
        }
        for sm in items(get(doc, "semantic_models")) {
            self.semantic_model(sm);
        }
        for kind in ["models", "seeds", "snapshots"] {
            for model in items(get(doc, kind)) {
                let Some(name) = get(model, "name").and_then(str_of) else { continue };
                let label = format!("{} {name}", &kind[..kind.len() - 1]);
                for (i, change) in self.changes.iter() {
                    if matches!(change, Change::RenameTable { .. }) {
                        // Renaming a model is renaming its file: not a YAML edit.
                        continue;
                    }
                    if let Some(conf) = entry_matches(&[vec![name]], change.table()) {
                        self.columns(model, i, change, conf, &label);
                    }
                }
            }
        }
    }

    /// The column entries of a table or model entry, for one column change.
    fn columns(&mut self, entry: &MarkedYaml<'_>, i: usize, change: &Change, conf: Confidence, label: &str) {
        let Some(column) = change.column() else { return };
        for col in items(get(entry, "columns")) {
            let Some(name_entry) = self::entry(col, "name") else { continue };
            let name_node = name_entry.1;
            let Some(name) = str_of(name_node) else { continue };
            if !column.matches(name, false) {
                continue;
            }
            match change {
                Change::RenameColumn { to, .. } => {
                    self.rename(name_entry, &to.value, i, conf, &format!("column {name} of {label}"))
                }
                Change::DropColumn { .. } => {
                    let span = self.span(name_node);
                    self.out.finding(
                        span,
                        RULE,
                        Some(i),
                        Severity::Review,
                        format!("column {name} of {label} is dropped; remove or update its entry (its tests and docs) by hand"),
                    );
                }
                Change::ChangeType { to, .. } => {
                    // A `data_type` is the column's contract: it follows, in its case.
                    if let Some(dt) = self::entry(col, "data_type") {
                        let lower = str_of(dt.1).is_some_and(|v| v == v.to_lowercase());
                        let new = if lower { to.to_lowercase() } else { to.clone() };
                        let what = format!("the data_type of column {name} of {label}");
                        self.rename(dt, &new, i, conf, &what);
                    }
                }
                Change::RenameTable { .. } => {}
            }
        }
    }

    /// A source table's `loaded_at_field` (its own, or under `config:`) names a column for
    /// `dbt source freshness`: a plain name follows a rename; an expression or a dropped or
    /// retyped column is reported.
    fn loaded_at_field(
        &mut self,
        table: &MarkedYaml<'_>,
        i: usize,
        change: &Change,
        conf: Confidence,
        label: &str,
    ) {
        let Some(column) = change.column() else { return };
        let fields =
            [entry(table, "loaded_at_field"), get(table, "config").and_then(|c| entry(c, "loaded_at_field"))];
        for field in fields.into_iter().flatten() {
            let Some(value) = str_of(field.1) else { continue };
            let what = format!("the loaded_at_field of {label}");
            match change {
                Change::RenameColumn { to, .. } if column.matches(value, false) => {
                    self.rename(field, &to.value, i, conf, &what)
                }
                _ if ripple_core::relevance::names_word(value, &column.value) => {
                    let span = self.span(field.1);
                    let message = match change {
                        Change::RenameColumn { to, .. } => {
                            format!("{what} reads column {} in an expression; rename it to {} by hand", column.value, to.value)
                        }
                        Change::DropColumn { .. } => {
                            format!("{what} is column {}, which is dropped: source freshness fails until it names another", column.value)
                        }
                        _ => format!("{what} is column {}, whose type changes: check that freshness still reads a timestamp", column.value),
                    };
                    self.out.finding(span, RULE, Some(i), Severity::Review, message);
                }
                _ => {}
            }
        }
    }

    /// Adds `identifier: new` beside a source table's `name:` entry, in its style (a line
    /// of its own at the key's indentation, or `, identifier: new` in flow style), or
    /// reports why not.
    fn add_identifier(
        &mut self,
        (key, node): Entry<'_, '_>,
        new: &str,
        i: usize,
        conf: Confidence,
        what: &str,
    ) {
        let (key_start, _) = self.span(key);
        let (_, value_end) = self.span(node);
        let line_start = self.text[..key_start].rfind('\n').map_or(0, |p| p + 1);
        let line_end = self.text[value_end..].find(['\r', '\n']).map_or(self.text.len(), |p| value_end + p);
        let before_key = self.text[line_start..key_start].trim();
        let after_value = self.text[value_end..line_end].trim_start();
        let value = if plain_safe(new) { new.to_string() } else { double_quoted(new) };
        let insertion = if before_key.ends_with('{') || before_key.ends_with(',') {
            Some((value_end, format!(", identifier: {value}")))
        } else if (before_key.is_empty() || before_key == "-")
            && (after_value.is_empty() || after_value.starts_with('#'))
        {
            let indent: String = self.text[line_start..key_start].chars().map(|_| ' ').collect();
            let eol = if self.text[line_end..].starts_with("\r\n") { "\r\n" } else { "\n" };
            Some((line_end, format!("{eol}{indent}identifier: {value}")))
        } else {
            None
        };
        match insertion {
            Some((at, text)) => self.out.edit((at, at), text, RULE, i, conf),
            None => {
                let span = self.span(node);
                self.out.finding(
                    span,
                    RULE,
                    Some(i),
                    Severity::Review,
                    format!("{what} should get `identifier: {new}`, but its entry is not laid out one key a line or in flow style; not rewritten"),
                )
            }
        }
    }

    /// Replaces the scalar value of `entry` by `new`, in the same quoting, or reports why not.
    fn rename(&mut self, (key, node): Entry<'_, '_>, new: &str, i: usize, conf: Confidence, what: &str) {
        let span = self.span(node);
        let Some(value) = str_of(node) else { return };
        // The value must follow its key: an alias loads as the anchored node, elsewhere.
        let between = self.text.get(self.span(key).1..span.0).unwrap_or("x");
        let adjacent = between.trim_start().strip_prefix(':').is_some_and(|r| r.trim().is_empty());
        let result = if adjacent {
            replacement(self.text, span, value, new)
        } else {
            Err("its value is not written right after its key (an anchor, alias or tag)".to_string())
        };
        match result {
            Ok(text) => {
                if self.text.get(span.0..span.1) != Some(text.as_str()) {
                    self.out.edit(span, text, RULE, i, conf);
                }
            }
            Err(why) => self.out.finding(
                span,
                RULE,
                Some(i),
                Severity::Review,
                format!("{what} should become {new}, but {why}; not rewritten"),
            ),
        }
    }
}

/// YAML words that load as something other than a string when written plain.
const NOT_PLAIN: [&str; 14] =
    ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~", "nan", "inf", ".nan", ".inf"];

/// Can `s` be written as a plain scalar, in block or flow context, and load as this string?
fn plain_safe(s: &str) -> bool {
    let mut chars = s.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_');
    first_ok
        && s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        && !NOT_PLAIN.iter().any(|w| w.eq_ignore_ascii_case(s))
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The text that replaces the scalar at `span` (whose loaded value is `value`) so that it
/// loads as `new`, keeping its quoting style; an error when the span's text is not exactly
/// that scalar, written on one line.
pub(crate) fn replacement(
    text: &str,
    span: (usize, usize),
    value: &str,
    new: &str,
) -> Result<String, String> {
    let written = text.get(span.0..span.1).ok_or("its position in the file is unclear")?;
    if written.contains(['\n', '\r']) {
        return Err("it is written over several lines".into());
    }
    if written == value && plain_safe(value) {
        return Ok(if plain_safe(new) { new.to_string() } else { double_quoted(new) });
    }
    if written == format!("'{}'", value.replace('\'', "''")) {
        return Ok(format!("'{}'", new.replace('\'', "''")));
    }
    if written == format!("\"{value}\"") && !value.contains(['\\', '"']) {
        return Ok(double_quoted(new));
    }
    Err("its text is not a plain or quoted name ripple can rewrite in place (an anchor, alias, tag or escape)".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ripple_core::{ChangeSet, Ident};

    fn rename(table: &str, from: &str, to: &str) -> Change {
        Change::RenameColumn {
            table: TableName::parse(table),
            from: Ident::parse(from),
            to: Ident::parse(to),
        }
    }

    fn apply(text: &str, changes: Vec<Change>) -> (String, Vec<String>) {
        let out = analyse(text, &ChangeSet::new(changes), DbtRename::Identifier);
        let mut edits = out.edits.clone();
        edits.sort_by_key(|e| e.start);
        let mut result = text.to_string();
        for e in edits.iter().rev() {
            result.replace_range(e.start..e.end, &e.replacement);
        }
        let findings =
            out.findings.iter().map(|f| format!("{}..{}: {}", f.start, f.end, f.message)).collect();
        (result, findings)
    }

    const SOURCES: &str = "\
version: 2
sources:
  - name: app            # the application database
    schema: raw_app
    tables:
      - name: users
        columns:
          - name: user_name   # shown in the UI
            description: \"The user's login, not user_name of accounts\"
          - name: 'legacy_flag'
          - name: \"age\"
            data_type: int
      - name: accounts
        columns:
          - name: user_name
";

    #[test]
    fn source_columns_follow_keeping_comments_and_quotes() {
        let (out, findings) = apply(
            SOURCES,
            vec![
                rename("users", "user_name", "username"),
                rename("users", "legacy_flag", "old_flag"),
                rename("users", "age", "age_years"),
            ],
        );
        assert!(findings.is_empty(), "{findings:?}");
        assert!(out.contains("          - name: username   # shown in the UI\n"), "{out}");
        assert!(out.contains("- name: 'old_flag'\n"), "{out}");
        assert!(out.contains("- name: \"age_years\"\n"), "{out}");
        // Another table's column and prose stay.
        assert!(out.ends_with("      - name: accounts\n        columns:\n          - name: user_name\n"));
        assert!(out.contains("not user_name of accounts"));
    }

    #[test]
    fn a_loaded_at_field_follows_a_rename_and_an_expression_is_reported() {
        let text = "sources:\n  - name: ecom\n    schema: raw\n    tables:\n      - name: raw_orders\n        loaded_at_field: ordered_at\n      - name: raw_stores\n        config:\n          loaded_at_field: \"cast(ordered_at as timestamp)\"\n      - name: raw_items\n        loaded_at_field: ordered_at\n";
        let (out, findings) = apply(text, vec![rename("raw_orders", "ordered_at", "placed_at")]);
        assert!(findings.is_empty(), "{findings:?}");
        assert!(out.contains("raw_orders\n        loaded_at_field: placed_at\n"), "{out}");
        // Another table's field stays.
        assert!(out.ends_with("raw_items\n        loaded_at_field: ordered_at\n"), "{out}");
        let (out, findings) = apply(text, vec![rename("raw_stores", "ordered_at", "placed_at")]);
        assert_eq!(out, text);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert!(findings[0].contains("in an expression; rename it to placed_at by hand"), "{findings:?}");
        let drop =
            Change::DropColumn { table: TableName::parse("raw_orders"), column: Ident::parse("ordered_at") };
        let (_, findings) = apply(text, vec![drop]);
        assert!(findings.len() == 1 && findings[0].contains("which is dropped"), "{findings:?}");
    }

    #[test]
    fn source_schema_qualifies() {
        let (out, _) = apply(SOURCES, vec![rename("raw_app.users", "user_name", "username")]);
        assert!(out.contains("- name: username   #"));
        let (out, _) = apply(SOURCES, vec![rename("app.users", "user_name", "username")]);
        assert!(out.contains("- name: username   #"));
        let (out, _) = apply(SOURCES, vec![rename("other.users", "user_name", "username")]);
        assert_eq!(out, SOURCES);
        // Behind an identifier, the source's dbt name in full names the table; the bare
        // name is another warehouse table.
        let behind = "sources:\n  - name: app\n    tables:\n      - name: people\n        identifier: users\n        columns:\n          - name: age\n";
        let drop = |t: &str| Change::DropColumn { table: TableName::parse(t), column: Ident::parse("age") };
        assert_eq!(apply(behind, vec![drop("app.people")]).1.len(), 1);
        assert_eq!(apply(behind, vec![drop("app.users")]).1.len(), 1);
        assert!(apply(behind, vec![drop("people")]).1.is_empty());
    }

    #[test]
    fn a_drop_is_a_finding_and_a_data_type_follows() {
        let drop =
            Change::DropColumn { table: TableName::parse("users"), column: Ident::parse("legacy_flag") };
        let retype = Change::ChangeType {
            table: TableName::parse("users"),
            column: Ident::parse("age"),
            from: None,
            to: "BIGINT".into(),
        };
        let (out, findings) = apply(SOURCES, vec![drop, retype.clone()]);
        assert_eq!(out, SOURCES.replace("data_type: int", "data_type: bigint"));
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert!(findings[0].contains("legacy_flag of source table app.users is dropped"));
        // A type that is not a plain scalar is quoted; running again changes nothing.
        let text = "models:\n  - name: users\n    columns:\n      - name: age\n        data_type: INT\n";
        let wide = Change::ChangeType {
            table: TableName::parse("users"),
            column: Ident::parse("age"),
            from: None,
            to: "NUMERIC(12, 2)".into(),
        };
        let (out, _) = apply(text, vec![wide.clone()]);
        assert_eq!(out, text.replace("data_type: INT", "data_type: \"NUMERIC(12, 2)\""));
        assert_eq!(apply(&out, vec![wide]).0, out);
    }

    #[test]
    fn rename_table_sets_identifier_and_keeps_the_name() {
        let change =
            Change::RenameTable { from: TableName::parse("users"), to: TableName::parse("customers") };
        let (out, _) = apply(SOURCES, vec![change.clone()]);
        assert!(out.contains("      - name: users\n        identifier: customers\n        columns:\n          - name: user_name   #"));
        let flow = "sources:\n  - name: app\n    tables: [{name: users, columns: [{name: id}]}]\n";
        let (out, _) = apply(flow, vec![change.clone()]);
        assert_eq!(out, flow.replace("{name: users,", "{name: users, identifier: customers,"));
        assert!(saphyr::Yaml::load_from_str(&out).is_ok());
        let crlf = "sources:\r\n  - name: app\r\n    tables:\r\n      - name: users # raw\r\n";
        let (out, _) = apply(crlf, vec![change.clone()]);
        assert_eq!(out, crlf.replace("users # raw\r\n", "users # raw\r\n        identifier: customers\r\n"));
        // Running again changes nothing: the entry now names the new table.
        let (again, _) = apply(&out, vec![change.clone()]);
        assert_eq!(again, out);
        let with_identifier =
            "sources:\n  - name: app\n    tables:\n      - name: people\n        identifier: users # real\n";
        let (out, _) = apply(with_identifier, vec![change]);
        assert_eq!(out, with_identifier.replace("identifier: users", "identifier: customers"));
    }

    #[test]
    fn under_names_the_dbt_stage_renames_a_plain_source_table() {
        let change =
            Change::RenameTable { from: TableName::parse("users"), to: TableName::parse("customers") };
        let out = analyse(SOURCES, &ChangeSet::new(vec![change.clone()]), DbtRename::Names);
        assert!(out.edits.is_empty() && out.findings.is_empty());
        // Behind an identifier, the relation is renamed and the dbt name stays.
        let with_identifier =
            "sources:\n  - name: app\n    tables:\n      - name: people\n        identifier: users\n";
        let out = analyse(with_identifier, &ChangeSet::new(vec![change]), DbtRename::Names);
        assert_eq!(out.edits.len(), 1);
    }

    #[test]
    fn models_follow_only_changes_of_the_model() {
        let text = "models:\n  - name: stg_users\n    columns:\n      - name: user_name\n        tests: [not_null]\n";
        let (out, _) = apply(text, vec![rename("users", "user_name", "username")]);
        assert_eq!(out, text, "a change of the source table leaves model columns alone");
        let (out, _) = apply(text, vec![rename("stg_users", "user_name", "username")]);
        assert_eq!(out, text.replace("name: user_name", "name: username"));
    }

    #[test]
    fn flow_style() {
        let text = "models:\n  - {name: stg_users, columns: [{name: user_name}, {name: id}]}\n";
        let (out, findings) = apply(text, vec![rename("stg_users", "user_name", "username")]);
        assert!(findings.is_empty());
        assert_eq!(out, text.replace("{name: user_name}", "{name: username}"));
        // A name that needs quoting is quoted, which is valid in flow context too.
        let (out, _) = apply(text, vec![rename("stg_users", "user_name", "\"user, name\"")]);
        assert_eq!(out, text.replace("{name: user_name}", "{name: \"user, name\"}"));
        assert!(saphyr::Yaml::load_from_str(&out).is_ok());
    }

    #[test]
    fn anchors_tags_and_escapes_are_findings() {
        let text = "models:\n  - name: stg_users\n    columns:\n      - name: &n user_name\n      - name: !!str user_name\n      - name: \"user\\u005fname\"\n";
        let (out, findings) = apply(text, vec![rename("stg_users", "user_name", "username")]);
        assert_eq!(out, text);
        assert_eq!(findings.len(), 3, "{findings:?}");
        assert!(findings.iter().all(|f| f.contains("not rewritten")));
    }

    #[test]
    fn reserved_words_and_invalid_yaml() {
        let text = "models:\n  - name: m\n    columns:\n      - name: a\n";
        let (out, _) = apply(text, vec![rename("m", "a", "yes")]);
        assert_eq!(out, text.replace("name: a", "name: \"yes\""));
        let (out, findings) = apply("models: [\n  - name: m\n", vec![rename("m", "a", "b")]);
        assert_eq!(out, "models: [\n  - name: m\n");
        assert_eq!(findings.len(), 1);
    }

    #[test]
    fn multibyte_text_before_the_span() {
        let text = "# café ☕\nmodels:\n  - name: m # ünïcode\n    columns:\n      - name: a\n";
        let (out, findings) = apply(text, vec![rename("m", "a", "b")]);
        assert!(findings.is_empty());
        assert_eq!(out, text.replace("name: a", "name: b"));
    }
}
