//! Stage 5, scan: the rules of a file's language run over its text; their edits, once
//! merged and validated, become the file's plan.

use super::read::{read_file, Admission, Wants};
use super::validate::settle;
use super::RuleSet;
use crate::config::Config;
use crate::diff::{path_bytes, unified_diff_of};
use crate::discover::SourcePath;
use crate::edit::Severity;
use crate::edit::{Edit, Finding, RuleOutput};
use crate::lang::Lang;
use crate::layout::MigrationTool;
use crate::merge::apply_edits;
use crate::options::Options;
use crate::plan::{FilePlan, PlanEdit, PlanFinding};
use crate::position::LineIndex;
use crate::reason::Reason;
use crate::rule::{RuleContext, SourceFile};
use crate::source::SourceText;
use crate::span::Span;
use crate::suppress::Suppressions;
use crate::table_layout::Placed;
use std::path::Path;
use std::time::{Duration, Instant};

/// What became of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FileStatus {
    /// The prefilter found no changed name in it (or it was not read at all).
    #[default]
    Filtered,
    /// Its rules ran.
    Parsed,
    /// Every mention of a changed name in it stands in a comment or docstring: its rules
    /// ran on its host's lexical pass, without a parse.
    Lexed,
    /// It could not be scanned: too large, unreadable, binary or not UTF-8.
    Skipped,
}

/// What scanning one file produced.
#[derive(Debug, Default)]
pub struct FileResult {
    /// What became of the file.
    pub status: FileStatus,
    /// Bytes the prefilter read.
    pub bytes: u64,
    /// The file's edits, when it has some.
    pub plan: Option<FilePlan>,
    /// What the rules (or the engine, for a skipped file) want a human to see.
    pub findings: Vec<PlanFinding>,
    /// Edits and findings a `ripple: ignore` comment took out.
    pub suppressed: usize,
    /// Where the file's time went, for `--verbose` timings.
    pub times: FileTimes,
}

/// Where one file's scan spent its time.
#[derive(Debug, Default, Clone, Copy)]
pub struct FileTimes {
    /// Parsing the whole file, if a rule asked for its tree.
    pub parse: Option<Duration>,
    /// The rules, parsing left out.
    pub rules: Duration,
    /// Suppressions, merge, validation, locating findings and the diff.
    pub settle: Duration,
}

/// Reads, prefilters, parses and rewrites one file, as a run does. Problems with the file
/// become findings.
pub fn scan_file(rules: &RuleSet, ctx: &RuleContext<'_>, file: &SourcePath) -> FileResult {
    let read = read_file(file, ctx.names, &Wants::nothing(rules));
    let mut result = match read.admission {
        Admission::Relevant(source) => scan(rules, ctx, &Config::default(), &source),
        Admission::Skipped(finding) => skipped(finding),
        Admission::Filtered => FileResult::default(),
    };
    result.bytes = read.bytes;
    result
}

/// The result of a file that could not be scanned.
pub(super) fn skipped(finding: PlanFinding) -> FileResult {
    FileResult { status: FileStatus::Skipped, findings: vec![finding], ..FileResult::default() }
}

/// Runs the rules over a relevant file and plans its edits.
pub(super) fn scan(
    rules: &RuleSet,
    ctx: &RuleContext<'_>,
    config: &Config,
    source: &SourceText,
) -> FileResult {
    let text = source.text();
    let file = SourceFile::new(source.path(), source.file.lang, text);
    let mut out = RuleOutput::default();
    // A dialect set for the file's path in `ripple.toml` is the run's dialect for it.
    let options =
        config.dialect_of(&source.file.relative).map(|dialect| Options { dialect, ..ctx.options.clone() });
    let placed = placed_table(config, &source.file);
    let ctx = match &options {
        Some(options) => RuleContext { options, placed: placed.as_ref(), ..*ctx },
        None => RuleContext { placed: placed.as_ref(), ..*ctx },
    };
    let started = Instant::now();
    let status = match super::prose::prose_only(rules, &file, &ctx) {
        Some(prose) => {
            out = prose;
            FileStatus::Lexed
        }
        None => {
            for rule in rules.for_language(source.file.lang) {
                rule.run(&file, &ctx, &mut out);
            }
            FileStatus::Parsed
        }
    };
    let parse = file.parse_time();
    let rules_done = Instant::now();
    if is_historical(config, &source.file) {
        keep_as_history(text, &mut out);
    }
    let index = LineIndex::new(text);
    let suppressed = suppress(source.file.lang, text, &index, &mut out);
    let settled = settle(source.file.lang, text, file.parsed_tree(), out);
    let kind = |i: Option<usize>| ctx.changes.iter().find(|(at, _)| Some(*at) == i).map(|(_, c)| c.kind());
    let findings = settled
        .findings
        .into_iter()
        .map(|f| {
            let reason = f.reason.unwrap_or_else(|| rules.reason_of(&f.rule, kind(f.change)));
            locate(source, &index, reason, f)
        })
        .collect();
    let plan = (!settled.edits.is_empty()).then(|| file_plan(source, &index, settled.edits));
    let times = FileTimes {
        parse,
        rules: (rules_done - started).saturating_sub(parse.unwrap_or_default()),
        settle: rules_done.elapsed(),
    };
    FileResult { status, bytes: 0, plan, findings, suppressed, times }
}

/// The table a file defines by its place (a SQL file a table layout names), or whose
/// columns it lists (a `schema.yaml` beside one).
pub(super) fn placed_table(config: &Config, file: &SourcePath) -> Option<Placed> {
    match file.lang {
        Lang::Sql => config.layouts.placed(&file.relative, &file.path),
        Lang::Yaml => config.layouts.schema_table_of(&file.relative, &file.path),
        _ => None,
    }
}

/// Is a file a record of history, never rewritten: named so in `ripple.toml`, or part of
/// a migration tool's layout.
fn is_historical(config: &Config, file: &SourcePath) -> bool {
    let root = file.path.ancestors().nth(file.relative.components().count()).unwrap_or(Path::new("."));
    config.is_historical(&file.relative)
        || (config.migration_layouts && MigrationTool::of(root, &file.relative).is_some())
}

/// A historical file's edits become info findings, and its findings info.
fn keep_as_history(text: &str, out: &mut RuleOutput) {
    for e in std::mem::take(&mut out.edits) {
        let before = text.get(e.start..e.end).unwrap_or("");
        let message =
            format!("historical migration, left as written (would change {before:?} to {:?})", e.replacement);
        let span = Span { start: e.start, end: e.end };
        out.finding_for(Reason::Historical, span, &e.rule, Some(e.change), Severity::Info, message);
    }
    for f in &mut out.findings {
        f.severity = Severity::Info;
        f.reason = Some(Reason::Historical);
    }
}

/// Takes out the edits and findings a `ripple: ignore` comment covers (after every rule
/// ran, so the safety net still saw them as accounted for); returns how many.
fn suppress(lang: crate::lang::Lang, text: &str, index: &LineIndex<'_>, out: &mut RuleOutput) -> usize {
    let comments = Suppressions::of(lang, text);
    if comments.is_empty() {
        return 0;
    }
    let before = out.edits.len() + out.findings.len();
    out.edits.retain(|e| !comments.covers(index.line_col(e.start).0, &e.rule));
    out.findings.retain(|f| !comments.covers(index.line_col(f.start).0, &f.rule));
    before - out.edits.len() - out.findings.len()
}

fn locate(source: &SourceText, index: &LineIndex<'_>, reason: Reason, f: Finding) -> PlanFinding {
    let (line, column) = index.line_col(f.start);
    PlanFinding {
        reason,
        path: source.file.path.clone(),
        line,
        column,
        rule: f.rule,
        change: f.change,
        severity: f.severity,
        message: f.message,
    }
}

/// The plan of a file with edits: spans in file bytes (past the BOM), the diff, and the
/// bytes before and after.
fn file_plan(source: &SourceText, index: &LineIndex<'_>, edits: Vec<Edit>) -> FilePlan {
    let text = source.text();
    let bom = source.bom();
    let new_text = apply_edits(text, &edits);
    let relative = path_bytes(&source.file.relative);
    // The diff covers the BOM, so a patch of the file applies to its bytes.
    let bom_text = std::str::from_utf8(bom).unwrap_or("");
    let diff = unified_diff_of(&relative, &format!("{bom_text}{text}"), &format!("{bom_text}{new_text}"));
    let mut rewritten = bom.to_vec();
    rewritten.extend_from_slice(new_text.as_bytes());
    let edits = edits
        .into_iter()
        .map(|e| {
            let (line, column) = index.line_col(e.start);
            PlanEdit {
                start: e.start + bom.len(),
                end: e.end + bom.len(),
                line,
                column,
                before: text[e.start..e.end].to_string(),
                after: e.replacement,
                rule: e.rule,
                change: e.change,
                confidence: e.confidence,
            }
        })
        .collect();
    FilePlan {
        path: source.file.path.clone(),
        relative: source.file.relative.clone(),
        language: source.file.lang,
        edits,
        diff,
        sha256: crate::plan::content_hash(source.bytes()),
        original: source.bytes().to_vec(),
        rewritten,
        stat: source.stat,
    }
}

/// Adds the scanned files' times to `timings`: parse, the rules per language, and merge and
/// validate, each summed over the threads. `results` are parallel to `sources`.
pub(super) fn add_times(
    timings: &mut crate::timings::Timings,
    sources: &[std::sync::Arc<SourceText>],
    results: &[FileResult],
) {
    let parsed: Vec<Duration> = results.iter().filter_map(|r| r.times.parse).collect();
    timings.add_summed("parse", parsed.iter().sum(), parsed.len());
    for (source, r) in sources.iter().zip(results) {
        timings.add_summed(&format!("rules:{}", source.file.lang.name()), r.times.rules, 1);
    }
    timings.add_summed("merge+validate", results.iter().map(|r| r.times.settle).sum(), results.len());
}
