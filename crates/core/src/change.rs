//! Schema changes and change sets: what ripple carries through consumer code.

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// One part of a (possibly qualified) SQL name. Unquoted names compare case-insensitively,
/// quoted ones exactly, as in most SQL dialects.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ident {
    /// The name, unquoted (doubled quotes undone).
    pub value: String,
    /// Was it quoted? Then it compares exactly.
    pub quoted: bool,
}

impl Ident {
    /// An unquoted name.
    pub fn new(value: impl Into<String>) -> Self {
        Ident { value: value.into(), quoted: false }
    }

    /// Parses one name part as written in a change file: `users`, `"Users"`, `` `users` ``
    /// or `[users]`.
    pub fn parse(raw: &str) -> Self {
        let raw = raw.trim();
        for (open, close) in [('"', '"'), ('`', '`'), ('[', ']')] {
            if raw.len() >= 2 && raw.starts_with(open) && raw.ends_with(close) {
                let inner = &raw[1..raw.len() - 1];
                let doubled = format!("{close}{close}");
                return Ident { value: inner.replace(&doubled, &close.to_string()), quoted: true };
            }
        }
        Ident::new(raw)
    }

    /// Does a name found in code (`text`, quoted or not) denote this identifier?
    pub fn matches(&self, text: &str, text_quoted: bool) -> bool {
        if self.quoted || text_quoted {
            // A quoted name is exact; an unquoted one still matches its quoted spelling
            // case-insensitively, since folding is dialect-specific and rules decide the rest.
            if self.quoted && text_quoted {
                self.value == text
            } else {
                self.value.eq_ignore_ascii_case(text)
            }
        } else {
            self.value.eq_ignore_ascii_case(text)
        }
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.quoted {
            write!(f, "\"{}\"", self.value.replace('"', "\"\""))
        } else {
            f.write_str(&self.value)
        }
    }
}

/// A table name, possibly qualified: `users`, `analytics.users`, `db.analytics.users`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TableName {
    /// Qualifiers first, the table's own name last.
    pub parts: Vec<Ident>,
}

/// How a table reference found in code relates to a changed table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableMatch {
    /// Same name with every qualifier the reference gives.
    Exact,
    /// The reference omits a qualifier the change names (`users` for `analytics.users`):
    /// the same table on the usual search path, but not provably.
    Unqualified,
    /// Another table.
    No,
}

impl TableName {
    /// Splits on dots outside quotes.
    pub fn parse(raw: &str) -> Self {
        let mut parts = Vec::new();
        let mut current = String::new();
        let mut quote: Option<char> = None;
        for c in raw.trim().chars() {
            match quote {
                Some(q) => {
                    current.push(c);
                    let close = if q == '[' { ']' } else { q };
                    if c == close {
                        quote = None;
                    }
                }
                None if c == '.' => parts.push(Ident::parse(&std::mem::take(&mut current))),
                None => {
                    if matches!(c, '"' | '`' | '[') {
                        quote = Some(c);
                    }
                    current.push(c);
                }
            }
        }
        parts.push(Ident::parse(&current));
        TableName { parts }
    }

    /// The last part: the table's own name.
    pub fn name(&self) -> &Ident {
        self.parts.last().expect("a table name has at least one part")
    }

    /// Has it at least one part, and no empty one?
    pub fn is_valid(&self) -> bool {
        !self.parts.is_empty() && self.parts.iter().all(|p| !p.value.is_empty())
    }

    /// Compares a reference from code (its parts, each `(text, quoted)`) with this table.
    /// Qualifiers are compared from the right; a reference with fewer parts is `Unqualified`
    /// unless the change itself is unqualified.
    pub fn matches_parts(&self, reference: &[(&str, bool)]) -> TableMatch {
        if reference.is_empty() {
            return TableMatch::No;
        }
        let mine = self.parts.iter().rev();
        let theirs = reference.iter().rev();
        for (m, (text, quoted)) in mine.zip(theirs) {
            if !m.matches(text, *quoted) {
                return TableMatch::No;
            }
        }
        if reference.len() >= self.parts.len() {
            // Extra qualifiers in the reference (a database name) cannot be told apart
            // from the change's implicit ones; the named parts all agree.
            TableMatch::Exact
        } else {
            TableMatch::Unqualified
        }
    }
}

impl fmt::Display for TableName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.parts.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl Serialize for TableName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Serialize for Ident {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

// Both read back from the text they are written as, so a saved plan's changes load again.
impl<'de> Deserialize<'de> for TableName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(TableName::parse(&String::deserialize(d)?))
    }
}

impl<'de> Deserialize<'de> for Ident {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Ident::parse(&String::deserialize(d)?))
    }
}

impl JsonSchema for TableName {
    fn schema_name() -> Cow<'static, str> {
        "TableName".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "minLength": 1,
            "description": "A table name, qualified or not (`users`, `analytics.users`); a part in quotes compares exactly.",
        })
    }
}

impl JsonSchema for Ident {
    fn schema_name() -> Cow<'static, str> {
        "Ident".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "minLength": 1,
            "description": "A column name; in quotes it compares exactly.",
        })
    }
}

/// One schema change. Names refer to the schema as it was before the change set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// `ALTER TABLE table RENAME COLUMN from TO to`.
    RenameColumn {
        /// The column's table.
        table: TableName,
        /// The old name.
        from: Ident,
        /// The new name.
        to: Ident,
    },
    /// `ALTER TABLE table ALTER COLUMN column TYPE to`.
    ChangeType {
        /// The column's table.
        table: TableName,
        /// The column.
        column: Ident,
        /// The old type, when the change file gives it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        /// The new type.
        to: String,
    },
    /// `ALTER TABLE table DROP COLUMN column`.
    DropColumn {
        /// The column's table.
        table: TableName,
        /// The column.
        column: Ident,
    },
    /// `ALTER TABLE from RENAME TO to`.
    RenameTable {
        /// The old name.
        from: TableName,
        /// The new name (unqualified: in the schema of `from`).
        to: TableName,
    },
}

impl Change {
    /// What kind of change this is.
    pub fn kind(&self) -> ChangeKind {
        match self {
            Change::RenameColumn { .. } => ChangeKind::RenameColumn,
            Change::ChangeType { .. } => ChangeKind::ChangeType,
            Change::DropColumn { .. } => ChangeKind::DropColumn,
            Change::RenameTable { .. } => ChangeKind::RenameTable,
        }
    }

    /// The kind's name as change files spell it (`rename_column`).
    pub fn kind_name(&self) -> &'static str {
        self.kind().name()
    }

    /// The table this change is about, by its name before the change set.
    pub fn table(&self) -> &TableName {
        match self {
            Change::RenameColumn { table, .. }
            | Change::ChangeType { table, .. }
            | Change::DropColumn { table, .. } => table,
            Change::RenameTable { from, .. } => from,
        }
    }

    /// The column this change is about (its old name), if it is a column change.
    pub fn column(&self) -> Option<&Ident> {
        match self {
            Change::RenameColumn { from, .. } => Some(from),
            Change::ChangeType { column, .. } | Change::DropColumn { column, .. } => Some(column),
            Change::RenameTable { .. } => None,
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::RenameColumn { table, from, to } => {
                write!(f, "rename column {table}.{from} to {to}")
            }
            Change::ChangeType { table, column, from, to } => match from {
                Some(from) => write!(f, "change type of {table}.{column} from {from} to {to}"),
                None => write!(f, "change type of {table}.{column} to {to}"),
            },
            Change::DropColumn { table, column } => write!(f, "drop column {table}.{column}"),
            Change::RenameTable { from, to } => write!(f, "rename table {from} to {to}"),
        }
    }
}

/// The kinds of change, as change files and rule files name them (`kind: rename_column`,
/// `on: rename_column`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// `rename_column`: a column gets a new name.
    RenameColumn,
    /// `change_type`: a column gets a new type.
    ChangeType,
    /// `drop_column`: a column is removed.
    DropColumn,
    /// `rename_table`: a table gets a new name.
    RenameTable,
}

impl ChangeKind {
    /// Every kind, in the order messages list them.
    pub const ALL: [ChangeKind; 4] =
        [ChangeKind::RenameColumn, ChangeKind::ChangeType, ChangeKind::DropColumn, ChangeKind::RenameTable];

    /// The name change files and rule files use.
    pub const fn name(self) -> &'static str {
        match self {
            ChangeKind::RenameColumn => "rename_column",
            ChangeKind::ChangeType => "change_type",
            ChangeKind::DropColumn => "drop_column",
            ChangeKind::RenameTable => "rename_table",
        }
    }

    /// The kind a change file or rule file names, if any.
    pub fn from_name(name: &str) -> Option<ChangeKind> {
        ChangeKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Every kind's name, in order.
    pub fn names() -> [&'static str; 4] {
        ChangeKind::ALL.map(ChangeKind::name)
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where something was written in an input file (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// The changes to carry through, in file order. A change's index is its id in plans.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet {
    /// The changes, in file order.
    pub changes: Vec<Change>,
    /// Where each change was written, parallel to `changes` (empty when built in code).
    pub origins: Vec<Origin>,
}

/// The prefixes of a table name a BigQuery wildcard table may spell before its `*`
/// (`events_*`, `events_2024*` for `events_20240101`): up to an underscore, or into the
/// trailing run of digits. A file holding one is worth reading.
pub fn wildcard_prefixes(name: &str) -> Vec<String> {
    let lower = name.to_ascii_lowercase();
    let digits_from = lower.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    (1..lower.len())
        .filter(|&i| {
            lower.is_char_boundary(i)
                && (lower.as_bytes()[i - 1] == b'_' || (i > digits_from && digits_from > 0))
        })
        .map(|i| lower[..i].to_string())
        .collect()
}

impl ChangeSet {
    /// A change set built in code, with no origins.
    pub fn new(changes: Vec<Change>) -> Self {
        ChangeSet { changes, origins: Vec::new() }
    }

    /// Has it no change at all?
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Each change with its index.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &Change)> {
        self.changes.iter().enumerate()
    }

    /// The matcher for this change set's names, with the host spellings of snake_case names
    /// (`username` for `user_name`: a camelCase field, a CamelCase class) for the prefilter.
    pub fn matcher(&self) -> crate::prefilter::NameMatcher {
        let names = self.watched_names();
        let mut spellings: Vec<String> =
            names.iter().filter(|n| n.contains('_')).map(|n| n.replace('_', "")).collect();
        // Django names a model's table `<app>_<model>`: a renamed `catalog_book` is the model
        // `Book`, a foreign key's column `author_id` of `catalog_book` the field `author`.
        for c in &self.changes {
            if let Change::RenameTable { from, .. } = c {
                spellings.extend(wildcard_prefixes(&from.name().value));
            }
            let Some((_, model)) = c.table().name().value.rsplit_once('_') else { continue };
            if let Change::RenameTable { .. } = c {
                spellings.push(model.to_lowercase());
            }
            let key =
                c.column().and_then(|col| col.value.to_lowercase().strip_suffix("_id").map(str::to_string));
            spellings.extend(key.filter(|k| !k.is_empty()));
        }
        crate::prefilter::NameMatcher::with_spellings(names, spellings)
    }

    /// Every old name the change set touches (table names and columns), lower-cased and
    /// deduplicated: what the prefilter looks for.
    pub fn watched_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for c in &self.changes {
            names.push(c.table().name().value.to_lowercase());
            if let Some(col) = c.column() {
                names.push(col.value.to_lowercase());
            }
        }
        names.sort();
        names.dedup();
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_prefixes_stop_at_underscores_and_in_the_trailing_digits() {
        assert_eq!(
            wildcard_prefixes("Events_2024"),
            ["events_", "events_2", "events_20", "events_202"].map(String::from)
        );
        assert_eq!(wildcard_prefixes("ga_sessions"), ["ga_"].map(String::from));
        assert!(wildcard_prefixes("users").is_empty());
        assert!(wildcard_prefixes("2024").is_empty());
    }

    #[test]
    fn a_renamed_table_makes_a_file_with_its_wildcard_relevant() {
        let set = ChangeSet::new(vec![Change::RenameTable {
            from: TableName::parse("analytics.events_20240101"),
            to: TableName::parse("analytics.events_old"),
        }]);
        let m = set.matcher();
        assert!(m.is_relevant(b"select 1 from `p.analytics.events_*`"));
        assert!(!m.is_relevant(b"select 1 from `p.analytics.sessions_*`"));
        // Relevance only: the prefix is never a mention of the table.
        assert!(m.mentions("from events_*").is_empty());
    }
}
