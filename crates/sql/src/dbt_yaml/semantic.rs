//! Semantic models (`semantic_models:`) read a model's columns: an entity, dimension or
//! measure's `expr:` is SQL over the model named by `model: ref('m')`, and one without an
//! `expr:` reads the column of its own name. An `expr:` that is exactly a renamed column
//! follows it; any other mention of a changed column is a finding, since renaming the
//! element itself would change the semantic layer's names.

use super::{entry_matches, Walker, RULE};
use crate::dbt::yaml::{entry, get, items, str_of};
use ripple_core::{Change, Severity};
use saphyr::MarkedYaml;

impl Walker<'_> {
    /// The elements of one semantic model that read a changed column of its model.
    pub(super) fn semantic_model(&mut self, sm: &MarkedYaml<'_>) {
        let Some(model) = get(sm, "model").and_then(str_of).and_then(ref_name) else { return };
        let label = match get(sm, "name").and_then(str_of) {
            Some(n) => format!("semantic model {n}"),
            None => "a semantic model".to_string(),
        };
        for (i, change) in self.changes.iter() {
            let Some(column) = change.column() else { continue };
            let Some(conf) = entry_matches(&[vec![model]], change.table()) else { continue };
            for part in ["entities", "dimensions", "measures"] {
                for element in items(get(sm, part)) {
                    let name = entry(element, "name");
                    let what = format!(
                        "{} {} of {label}",
                        &part[..part.len() - 1],
                        name.and_then(|n| str_of(n.1)).unwrap_or("?")
                    );
                    let (node, exact) = match entry(element, "expr") {
                        Some(expr) => {
                            let Some(value) = str_of(expr.1) else { continue };
                            if column.matches(value.trim(), false) {
                                if let Change::RenameColumn { to, .. } = change {
                                    self.rename(expr, &to.value, i, conf, &format!("the expr of {what}"));
                                    continue;
                                }
                                (expr.1, true)
                            } else if spells(value, &column.value) {
                                (expr.1, false)
                            } else {
                                continue;
                            }
                        }
                        None => match name {
                            Some(n) if str_of(n.1).is_some_and(|v| column.matches(v, false)) => (n.1, true),
                            _ => continue,
                        },
                    };
                    let message = match (change, exact) {
                        (Change::RenameColumn { to, .. }, true) => format!(
                            "{what} reads column {column} of {model} by its name, which is renamed to {to}; add `expr: {to}` by hand"
                        ),
                        (Change::RenameColumn { to, .. }, false) => format!(
                            "the expr of {what} mentions column {column} of {model}, which is renamed to {to}; update it by hand"
                        ),
                        (Change::DropColumn { .. }, _) => format!(
                            "{what} reads column {column} of {model}, which is dropped; remove or update it by hand"
                        ),
                        (Change::ChangeType { to, .. }, _) => format!(
                            "{what} reads column {column} of {model}, which changes type to {to}; check its aggregation and type"
                        ),
                        (Change::RenameTable { .. }, _) => continue,
                    };
                    let span = self.span(node);
                    self.out.finding(span, RULE, Some(i), Severity::Review, message);
                }
            }
        }
    }
}

/// The model of `ref('m')` (or `{{ ref("m") }}`), one argument only.
fn ref_name(value: &str) -> Option<&str> {
    let v = value.trim();
    let v = v.strip_prefix("{{").and_then(|s| s.strip_suffix("}}")).map_or(v, str::trim);
    let args = v.strip_prefix("ref")?.trim_start().strip_prefix('(')?.strip_suffix(')')?.trim();
    let name = args
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .or_else(|| args.strip_prefix('"').and_then(|s| s.strip_suffix('"')))?;
    (!name.is_empty() && !name.contains(['\'', '"', ','])).then_some(name)
}

/// Does `text` spell `name` as a whole word, case-insensitively?
fn spells(text: &str, name: &str) -> bool {
    let (text, name) = (text.to_lowercase(), name.to_lowercase());
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(&name)
        .any(|(i, _)| !word(text[..i].chars().next_back()) && !word(text[i + name.len()..].chars().next()))
}

#[cfg(test)]
mod tests {
    use super::super::analyse;
    use ripple_core::{Change, ChangeSet, Ident, TableName};

    const TEXT: &str = "\
semantic_models:
  - name: order_item
    model: ref('order_items')
    entities:
      - name: product
        type: foreign
        expr: product_id
    dimensions:
      - name: product_price
        type: categorical
    measures:
      - name: revenue
        agg: sum
        expr: product_price
      - name: food_revenue
        agg: sum
        expr: case when is_food_item then product_price else 0 end
  - name: other
    model: ref('supplies')
    measures:
      - name: cost
        expr: product_price
";

    #[test]
    fn an_exact_expr_follows_and_other_mentions_are_findings() {
        let change = Change::RenameColumn {
            table: TableName::parse("order_items"),
            from: Ident::parse("product_price"),
            to: Ident::parse("unit_price"),
        };
        let out = analyse(TEXT, &ChangeSet::new(vec![change]), ripple_core::DbtRename::default());
        let edits: Vec<(usize, &str)> = out.edits.iter().map(|e| (e.start, e.replacement.as_str())).collect();
        assert_eq!(edits, vec![(TEXT.find("expr: product_price\n").unwrap() + 6, "unit_price")]);
        let findings: Vec<&str> = out.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(findings.len(), 2, "{findings:?}");
        assert!(findings[0].starts_with("dimension product_price of semantic model order_item reads column"));
        assert!(findings[1].starts_with("the expr of measure food_revenue"));
    }

    #[test]
    fn ref_forms() {
        assert_eq!(super::ref_name("ref('m')"), Some("m"));
        assert_eq!(super::ref_name("{{ ref(\"m\") }}"), Some("m"));
        assert_eq!(super::ref_name("ref('pkg', 'm')"), None);
        assert_eq!(super::ref_name("source('s', 't')"), None);
    }
}
