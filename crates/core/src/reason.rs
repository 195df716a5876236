//! Why a finding is raised, as a closed set a reviewer or a program can filter on (the JSON
//! plan's `reason`). Every registered rule id has a default reason; an emission site that
//! raises findings of another kind under the same id sets its own.

use crate::change::ChangeKind;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a finding is raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// A reference ripple found but cannot rewrite in place (inside Jinja, a masked
    /// parameter, a string built in pieces, an API whose rewrite needs a person). As a rule
    /// id's default it is refined by the change: see [`Reason::refined`].
    ManualEdit,
    /// SQL that mentions a changed name and that ripple could not parse or does not model.
    Unparsed,
    /// A host-language string that mentions a changed name and that no rule tied to SQL or
    /// to a known API.
    UntiedString,
    /// A mention in a comment, a docstring, a message or a path: prose, not code.
    Comment,
    /// A host-language name (a variable, an attribute) that spells a changed name.
    HostName,
    /// A table named whose name stays while its columns change.
    UnchangedName,
    /// A repo's migrations define a changed table: the change needs a new migration.
    MigrationNeeded,
    /// A changed column's name where its table is not in reach (a file or statement that
    /// never names the table): most likely another table's column.
    OutOfReach,
    /// A file or statement of a historical migration, left as written.
    Historical,
    /// Code that reads or writes a dropped column.
    DroppedRead,
    /// Code whose values may not fit, or behave differently, once a column's type changes.
    TypeRisk,
    /// A rename that would make a reference mean something else.
    Capture,
    /// A `*`, a USING or a NATURAL join: the shape of a result changes.
    StarShape,
    /// A column reference that could belong to more than one table.
    Ambiguous,
    /// A column reference that ripple could not bind to a table.
    Unresolved,
    /// A change carried on to a dataset derived from the changed one.
    Derived,
    /// A file not scanned (binary, too large, unreadable, not UTF-8, a link).
    Skipped,
    /// Rules wanted different edits of the same code.
    EditConflict,
    /// A file's edits were withdrawn because the rewrite would not parse.
    InvalidRewrite,
}

impl Reason {
    /// Every reason, in the order documented.
    pub const ALL: &'static [Reason] = &[
        Reason::ManualEdit,
        Reason::Unparsed,
        Reason::UntiedString,
        Reason::Comment,
        Reason::HostName,
        Reason::UnchangedName,
        Reason::MigrationNeeded,
        Reason::OutOfReach,
        Reason::Historical,
        Reason::DroppedRead,
        Reason::TypeRisk,
        Reason::Capture,
        Reason::StarShape,
        Reason::Ambiguous,
        Reason::Unresolved,
        Reason::Derived,
        Reason::Skipped,
        Reason::EditConflict,
        Reason::InvalidRewrite,
    ];

    /// A rule that rewrites references reports, for a change of `kind`, what the change
    /// puts at risk: a read of a dropped column, a value of a retyped one; for a rename, a
    /// reference it could not rewrite. Other reasons stay as they are.
    pub fn refined(self, kind: Option<ChangeKind>) -> Reason {
        match (self, kind) {
            (Reason::ManualEdit, Some(ChangeKind::DropColumn)) => Reason::DroppedRead,
            (Reason::ManualEdit, Some(ChangeKind::ChangeType)) => Reason::TypeRisk,
            (reason, _) => reason,
        }
    }

    /// The reason spelled `name` (as in the JSON plan), if any.
    pub fn from_name(name: &str) -> Option<Reason> {
        Reason::ALL.iter().copied().find(|r| r.as_str() == name)
    }

    /// The reason as the JSON plan spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::ManualEdit => "manual-edit",
            Reason::Unparsed => "unparsed",
            Reason::UntiedString => "untied-string",
            Reason::Comment => "comment",
            Reason::HostName => "host-name",
            Reason::UnchangedName => "unchanged-name",
            Reason::MigrationNeeded => "migration-needed",
            Reason::OutOfReach => "out-of-reach",
            Reason::Historical => "historical",
            Reason::DroppedRead => "dropped-read",
            Reason::TypeRisk => "type-risk",
            Reason::Capture => "capture",
            Reason::StarShape => "star-shape",
            Reason::Ambiguous => "ambiguous",
            Reason::Unresolved => "unresolved",
            Reason::Derived => "derived",
            Reason::Skipped => "skipped",
            Reason::EditConflict => "edit-conflict",
            Reason::InvalidRewrite => "invalid-rewrite",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Reason;

    #[test]
    fn json_and_text_spell_it_alike() {
        for &r in Reason::ALL {
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{r}\""));
            assert_eq!(Reason::from_name(r.as_str()), Some(r));
        }
    }
}
