//! The rule ids ripple prints, as typed constants (ruff's `codes.rs` is the model): each
//! language crate declares the ids it emits in its own `ids.rs` with an `ALL` list, and
//! `ripple rules explain ID` describes every one of them. This module holds the type and the
//! ids of the engine itself, which are about files and edits rather than a language.

use crate::lang::Lang;
use crate::reason::Reason;
use std::fmt;

/// One rule id with what `ripple rules list` and `ripple rules explain` say about it.
#[derive(Debug, PartialEq, Eq)]
pub struct RuleId {
    /// `language/name`, as plans print it.
    pub id: &'static str,
    /// The language of the files it reports on; `None` for the engine's own ids.
    pub language: Option<Lang>,
    /// Why its findings are raised, unless the finding says otherwise.
    pub reason: Reason,
    /// One line: what it does.
    pub summary: &'static str,
    /// What it rewrites or reports, when, and why.
    pub explanation: &'static str,
    /// A short example: code before and after, or the finding it raises.
    pub example: &'static str,
}

impl RuleId {
    /// The id of a rule about files of `language`.
    pub const fn new(
        language: Lang,
        id: &'static str,
        reason: Reason,
        summary: &'static str,
        explanation: &'static str,
        example: &'static str,
    ) -> RuleId {
        RuleId { id, language: Some(language), reason, summary, explanation, example }
    }

    /// The id as plans print it.
    pub const fn as_str(&self) -> &'static str {
        self.id
    }
}

impl AsRef<str> for RuleId {
    fn as_ref(&self) -> &str {
        self.id
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)
    }
}

/// A file that mentions a changed name but was not scanned.
pub const SKIPPED_FILE: RuleId = RuleId {
    id: "core/skipped-file",
    language: None,
    reason: Reason::Skipped,
    summary: "A file that mentions a changed name was not scanned.",
    explanation: "ripple reads files of a known language under the given paths. A file over the \
size limit, one it cannot read, one with binary content or invalid UTF-8 that mentions a changed \
name is reported instead of scanned, so that no reference goes unseen silently.",
    example: "data/dump.sql: review[core/skipped-file]: not scanned: invalid UTF-8 at byte 812, \
and the file mentions a changed name",
};

/// Every edit of a file withdrawn because the result would not parse as well as the original.
pub const INVALID_REWRITE: RuleId = RuleId {
    id: "core/invalid-rewrite",
    language: None,
    reason: Reason::InvalidRewrite,
    summary: "A file's edits were withdrawn because the rewritten file would be broken.",
    explanation: "Before an edit is planned, the rewritten file is parsed again. When it has more \
syntax errors than the original (or a dbt YAML file no longer loads), every edit of that file is \
withdrawn and each is reported here, with the rule that wanted it.",
    example: "models/users.sql:3:8: review[core/invalid-rewrite]: edit withdrawn: \
sql/rename-column wanted \"username\" here, but the rewritten file would have 2 syntax errors \
instead of 0; all edits of this file were withdrawn",
};

/// Overlapping edits of the same code from different rules.
pub const EDIT_CONFLICT: RuleId = RuleId {
    id: "core/edit-conflict",
    language: None,
    reason: Reason::EditConflict,
    summary: "Two rules wanted different edits of the same code; none was applied.",
    explanation: "Edits never overlap in a plan. When rules propose overlapping edits that \
differ, the whole cluster is dropped and reported with every alternative, so that a person \
chooses.",
    example: "src/dao.py:12:5: review[core/edit-conflict]: conflicting edits of the same code, \
none applied: python/embedded-sql wants \"username\"; python/pyspark-table wants \"accounts\"",
};

/// A repo whose migrations define a changed table needs a new migration.
pub const MIGRATION_NEEDED: RuleId = RuleId {
    id: "core/migration-needed",
    language: None,
    reason: Reason::MigrationNeeded,
    summary: "The repo's migration tool defines a changed table: a new migration is needed.",
    explanation: "Migrations are history and are never rewritten, but a repo that manages its \
schema with Flyway, Liquibase, Sqitch, Alembic, Django or Rails migrations must add one for the \
change set. When its migrations define a changed table, ripple says so once per repo, naming \
the tool, and puts the ALTER statements in the repo's dialect into the JSON plan \
(`suggested_migration`).",
    example: "db/migration/V1__init.sql: review[core/migration-needed]: this repo manages its schema \
with Flyway, whose migrations define owners: the change set needs a new migration \
(`suggested_migration` in the JSON plan): ALTER TABLE owners DROP COLUMN telephone;",
};

/// The ids of the engine.
pub const ALL: &[&RuleId] = &[&SKIPPED_FILE, &INVALID_REWRITE, &EDIT_CONFLICT, &MIGRATION_NEEDED];
