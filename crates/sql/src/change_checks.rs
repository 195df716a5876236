//! Checks of a loaded change set that need SQL: its types must parse as types, a type
//! changed to itself is a mistake, and new names that must be quoted are worth a warning.

use crate::dialect::{quoting_reason, sqlparser_dialect};
use ripple_core::change::Origin;
use ripple_core::{Change, ChangeSet, Dialect, Ident, InputError, InputErrors};
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;
use std::path::Path;

/// The errors in the types of `set`, loaded from `path` whose text is `text`: each located
/// at the type's text after its change's origin when found there, else at the origin.
pub fn check_types(path: &Path, text: &str, set: &ChangeSet, dialect: Dialect) -> Result<(), InputErrors> {
    let mut errors = Vec::new();
    for (i, change) in set.changes.iter().enumerate() {
        let Change::ChangeType { table, column, from, to } = change else { continue };
        let origin = set.origins.get(i);
        let error = |needle: &str, message: String| match origin {
            Some(o) => {
                let (line, col) = locate(text, o, needle).unwrap_or((o.line, o.column));
                InputError::at(path, line, col, message)
            }
            None => InputError::file(path, message),
        };
        let new = normalised_type(to, dialect);
        let old = from.as_deref().map(|f| (f, normalised_type(f, dialect)));
        for (raw, parsed) in [(to.as_str(), &new)].into_iter().chain(old.as_ref().map(|(f, p)| (*f, p))) {
            if let Err(why) = parsed {
                errors.push(error(raw, format!("`{raw}` is not a SQL type: {why}")));
            }
        }
        if let (Ok(new), Some((_, Ok(old)))) = (&new, &old) {
            if new.eq_ignore_ascii_case(old) {
                errors
                    .push(error(to, format!("the type of `{table}.{column}` is changed to itself ({new})")));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(InputErrors(errors))
    }
}

/// `ty` as sqlparser writes it back, if it is one type and nothing else in `dialect` (in
/// any dialect ripple knows when none is given).
fn normalised_type(ty: &str, dialect: Dialect) -> Result<String, String> {
    let tried = match dialect {
        Dialect::Generic => vec![
            Dialect::Generic,
            Dialect::Postgres,
            Dialect::Mysql,
            Dialect::Snowflake,
            Dialect::Bigquery,
            Dialect::Spark,
        ],
        d => vec![d],
    };
    let mut first_error = None;
    for d in tried {
        let sql = sqlparser_dialect(d);
        let parsed =
            Parser::new(sql.as_ref()).try_with_sql(ty).map_err(|e| e.to_string()).and_then(|mut p| {
                let parsed = p.parse_data_type().map_err(|e| e.to_string())?;
                match p.peek_token().token {
                    Token::EOF => Ok(parsed.to_string()),
                    t => Err(format!("unexpected `{t}` after the type {parsed}")),
                }
            });
        match parsed {
            Ok(t) => return Ok(t),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_default())
}

/// The line and column of the first `needle` at or after `origin` in `text`.
fn locate(text: &str, origin: &Origin, needle: &str) -> Option<(usize, usize)> {
    let line_start: usize =
        text.split_inclusive('\n').take(origin.line.saturating_sub(1)).map(str::len).sum();
    let start = text[line_start..].char_indices().nth(origin.column.saturating_sub(1))?.0 + line_start;
    let at = text[start..].find(needle.trim())? + start;
    let line = text[..at].matches('\n').count() + 1;
    let column = text[..at].rfind('\n').map_or(&text[..at], |nl| &text[nl + 1..at]).chars().count() + 1;
    Some((line, column))
}

/// A warning for each new name of `set` that ripple must quote where it writes it in
/// `dialect`, located at its change.
pub fn quoting_warnings(path: &Path, set: &ChangeSet, dialect: Dialect) -> Vec<String> {
    let language = match dialect {
        Dialect::Generic => "SQL",
        Dialect::Postgres => "Postgres",
        Dialect::Mysql => "MySQL",
        Dialect::Bigquery => "BigQuery",
        Dialect::Snowflake => "Snowflake",
        Dialect::Spark => "Spark SQL",
    };
    let mut warnings = Vec::new();
    for (i, change) in set.changes.iter().enumerate() {
        let new: Vec<&Ident> = match change {
            Change::RenameColumn { to, .. } => vec![to],
            Change::RenameTable { to, .. } => to.parts.iter().collect(),
            _ => continue,
        };
        let place = match set.origins.get(i) {
            Some(o) => format!("{}:{}:{}", path.display(), o.line, o.column),
            None => path.display().to_string(),
        };
        for name in new.into_iter().filter(|n| !n.quoted) {
            if let Some(why) = quoting_reason(&name.value, dialect) {
                warnings.push(format!(
                    "{place}: warning: `{}` is {why} in {language}: ripple quotes it where it writes it",
                    name.value
                ));
            }
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use ripple_core::changefile::parse_change_file;

    fn check(yaml: &str) -> Vec<String> {
        let path = Path::new("c.yaml");
        let set = parse_change_file(path, yaml).expect("loads");
        match check_types(path, yaml, &set, Dialect::Generic) {
            Ok(()) => Vec::new(),
            Err(e) => e.0.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn types_must_parse_as_one_type() {
        let yaml = "changes:\n  - {kind: change_type, table: users, column: id, to: \"((((\"}\n  - {kind: change_type, table: users, column: age, to: \"BIGINT; DROP TABLE x\"}\n  - {kind: change_type, table: users, column: a, to: \"numeric(12, 2)\", from: text}\n  - {kind: change_type, table: users, column: b, to: INT64}\n  - {kind: change_type, table: users, column: c, to: \"varchar(20)[]\"}\n";
        let errs = check(yaml);
        assert_eq!(errs.len(), 2, "{errs:#?}");
        assert!(errs[0].starts_with("c.yaml:2:56: `((((` is not a SQL type: "), "{}", errs[0]);
        assert_eq!(
            errs[1],
            "c.yaml:3:57: `BIGINT; DROP TABLE x` is not a SQL type: unexpected `;` after the type BIGINT"
        );
    }

    #[test]
    fn a_type_changed_to_itself_is_an_error() {
        let yaml = "changes:\n  - kind: change_type\n    table: users\n    column: id\n    to: bigint\n    from: BIGINT\n";
        assert_eq!(check(yaml), vec!["c.yaml:5:9: the type of `users.id` is changed to itself (BIGINT)"]);
    }

    #[test]
    fn names_that_must_be_quoted_are_warned_about() {
        let yaml = "changes:\n  - {kind: rename_column, table: users, from: user_name, to: from}\n  - {kind: rename_column, table: users, from: a, to: \"\\\"order\\\"\"}\n  - {kind: rename_table, from: users, to: 2fa}\n";
        let set = parse_change_file(Path::new("c.yaml"), yaml).expect("loads");
        assert_eq!(
            quoting_warnings(Path::new("c.yaml"), &set, Dialect::Postgres),
            vec![
                "c.yaml:2:5: warning: `from` is a reserved word in Postgres: ripple quotes it where it writes it",
                "c.yaml:4:5: warning: `2fa` is not a plain identifier in Postgres: ripple quotes it where it writes it",
            ]
        );
    }
}
