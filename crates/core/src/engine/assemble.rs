//! Stage 7, assemble: the files' results, the discovery's and the expanders' findings and
//! the change set become the plan.

use super::expand::Expanded;
use super::scan::{FileResult, FileStatus};
use crate::discover::Skipped;
use crate::edit::Severity;
use crate::ids;
use crate::plan::{Plan, PlanChange, PlanFinding, Summary, PLAN_VERSION};
use std::time::Instant;

/// What the stages before produced, for [`assemble`].
pub(super) struct Stages {
    /// Files of a known language that were found.
    pub files_found: usize,
    /// What discovery could not scan.
    pub unwalked: Vec<Skipped>,
    pub expanded: Expanded,
    /// Bytes the read stage read.
    pub bytes_read: u64,
    /// One per file the prefilter let through (or could not read).
    pub results: Vec<FileResult>,
    pub started: Instant,
}

/// The plan: per-file plans in path order, findings sorted by place, and the summary.
pub(super) fn assemble(stages: Stages) -> Plan {
    let Stages { files_found, unwalked, expanded, bytes_read, results, started } = stages;
    let mut summary = Summary {
        files_scanned: files_found,
        files_skipped: unwalked.len(),
        bytes_scanned: bytes_read,
        ..Summary::default()
    };
    let mut findings: Vec<PlanFinding> = unwalked.iter().map(not_scanned).collect();
    findings.extend(expanded.findings);
    let mut files = Vec::new();
    for r in results {
        // A lexed file's rules ran as a parsed file's do: the plan does not tell them apart.
        summary.files_parsed += usize::from(matches!(r.status, FileStatus::Parsed | FileStatus::Lexed));
        summary.files_skipped += usize::from(r.status == FileStatus::Skipped);
        summary.suppressed += r.suppressed;
        findings.extend(r.findings);
        if let Some(p) = r.plan {
            summary.edits += p.edits.len();
            files.push(p);
        }
    }
    findings.sort_by(|a, b| (&a.path, a.line, a.column, &a.rule).cmp(&(&b.path, b.line, b.column, &b.rule)));
    summary.files_changed = files.len();
    summary.findings = findings.len();
    summary.elapsed_ms = started.elapsed().as_millis() as u64;
    let changes = expanded
        .changes
        .changes
        .into_iter()
        .zip(expanded.derivations)
        .map(|(change, d)| match d {
            Some(d) => PlanChange {
                change,
                derived_from: Some(d.from),
                reason: Some(d.reason),
                datasets: Vec::new(),
            },
            None => PlanChange::from(change),
        })
        .collect();
    Plan {
        version: PLAN_VERSION,
        changes,
        files,
        moves: Vec::new(),
        findings,
        warnings: Vec::new(),
        suggested_migration: Vec::new(),
        summary,
    }
}

fn not_scanned(s: &Skipped) -> PlanFinding {
    PlanFinding {
        path: s.path.clone(),
        line: 0,
        column: 0,
        rule: ids::SKIPPED_FILE.id.into(),
        change: None,
        severity: Severity::Info,
        reason: ids::SKIPPED_FILE.reason,
        message: format!("not scanned: {}", s.reason),
    }
}
