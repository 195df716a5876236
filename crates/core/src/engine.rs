//! The pipeline: discover → prefilter → parse → rules → merge → validate → plan.
//! Each stage is a plain function; `plan` runs them all.

use crate::catalog::{Catalog, CatalogEntry};
use crate::change::{Change, ChangeSet};
use crate::diff::unified_diff;
use crate::discover::{discover, SourcePath};
use crate::edit::{Edit, Finding, RuleOutput, Severity};
use crate::error::InputError;
use crate::lang::{syntax_error_count, yaml_rewrite_error, Lang};
use crate::merge::{apply_edits, merge_edits};
use crate::plan::{FilePlan, Plan, PlanChange, PlanEdit, PlanFinding, Summary, PLAN_VERSION};
use crate::position::LineIndex;
use crate::prefilter::NameMatcher;
use crate::rule::{Dialect, Options, Rule, RuleContext, SourceFile};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// Files larger than this are reported, not parsed: generated dumps, not consumer code.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Learns table columns from the DDL of scanned files (CREATE TABLE, views), so rules can
/// resolve unqualified columns in joins. The engine indexes every file cheaply and reads a
/// statement only when a rule asks about its table.
pub trait CatalogSource: Send + Sync {
    fn language(&self) -> Lang;

    /// A cheap scan of raw bytes: each statement that may define or extend a table, as the
    /// table's lower-cased name and the statement's byte offset (a source may use offsets
    /// past the end for whole-file definitions, such as a dbt model). Most files have none.
    fn index(&self, path: &Path, bytes: &[u8]) -> Vec<(String, usize)>;

    /// Reads the statement at `offset` of a file's text (BOM included, as on disk).
    fn read(&self, path: &Path, text: &str, offset: usize, dialect: Dialect) -> Option<CatalogEntry>;
}

/// A change the change set implies without naming it: a view or model that re-exports a
/// renamed column under its old name renames its own output when output names propagate,
/// so its readers must follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerivedChange {
    pub change: Change,
    /// Index of the change this one follows from: in the request's change set, or (past
    /// its end) among the derived changes returned before this one.
    pub derived_from: usize,
    /// Why, for humans: names the file that re-exports the column.
    pub reason: String,
}

/// What a [`ChangeExpander`] found.
#[derive(Debug, Default)]
pub struct Expansion {
    /// In dependency order: each one after the change it derives from.
    pub changes: Vec<DerivedChange>,
    pub findings: Vec<PlanFinding>,
}

/// Derives changes from the change set before the rules run (output names carried across
/// files). The engine only appends what it returns to the change set the rules see.
pub trait ChangeExpander: Send + Sync {
    /// `catalog` is complete (the `--catalog` files and the DDL of the scanned files).
    fn expand(&self, files: &[SourcePath], request: &Request, catalog: &Catalog) -> Expansion;
}

/// The rules an engine runs, and the catalog sources and change expanders that inform them.
/// Language crates contribute theirs; the `ripple` facade assembles the default set.
#[derive(Clone, Default)]
pub struct RuleSet {
    rules: Vec<Arc<dyn Rule>>,
    catalog_sources: Vec<Arc<dyn CatalogSource>>,
    expanders: Vec<Arc<dyn ChangeExpander>>,
}

impl RuleSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a rule; a rule with the id of an existing one replaces it.
    pub fn add(&mut self, rule: Arc<dyn Rule>) {
        if let Some(slot) = self.rules.iter_mut().find(|r| r.id() == rule.id()) {
            *slot = rule;
        } else {
            self.rules.push(rule);
        }
    }

    pub fn rules(&self) -> &[Arc<dyn Rule>] {
        &self.rules
    }

    pub fn add_catalog_source(&mut self, source: Arc<dyn CatalogSource>) {
        self.catalog_sources.push(source);
    }

    pub fn add_expander(&mut self, expander: Arc<dyn ChangeExpander>) {
        self.expanders.push(expander);
    }

    /// The rules of a language in the order they run: the safety net last.
    pub fn for_language(&self, lang: Lang) -> impl Iterator<Item = &Arc<dyn Rule>> {
        let of = move |phase: crate::rule::Phase| {
            self.rules.iter().filter(move |r| r.language() == lang && r.phase() == phase)
        };
        of(crate::rule::Phase::Main).chain(of(crate::rule::Phase::SafetyNet))
    }
}

/// What to plan: a change set carried through the files under some roots.
#[derive(Clone, Default)]
pub struct Request {
    pub changes: ChangeSet,
    pub roots: Vec<PathBuf>,
    pub options: Options,
    pub catalog: Catalog,
}

/// Told about the progress of a long run (the CLI draws a bar from it).
pub trait Progress: Sync {
    fn start(&self, _files: usize) {}
    fn advance(&self) {}
    fn finish(&self) {}
}

/// A `Progress` that ignores everything.
pub struct NoProgress;
impl Progress for NoProgress {}

/// What scanning one file produced.
#[derive(Debug, Default)]
pub struct FileResult {
    pub parsed: bool,
    pub skipped: bool,
    pub bytes: u64,
    pub plan: Option<FilePlan>,
    pub findings: Vec<PlanFinding>,
}

/// Runs the whole pipeline and returns the plan. Never writes.
pub fn plan(rules: &RuleSet, request: &Request, progress: &dyn Progress) -> Result<Plan, InputError> {
    let started = Instant::now();
    let discovery = discover(&request.roots)?;
    let names = request.changes.matcher();

    // Column changes need to know other tables' columns to resolve joins: a first pass reads
    // every file once for the prefilter and the DDL it defines; only the relevant files are
    // then parsed, with the complete catalog. Table renames need no catalog: one pass.
    let wants_catalog =
        !rules.catalog_sources.is_empty() && request.changes.changes.iter().any(|c| c.column().is_some());
    let mut catalog = request.catalog.clone();
    let mut prescanned: Option<(Vec<&SourcePath>, u64)> = None;
    if wants_catalog {
        progress.start(discovery.files.len());
        let scans: Vec<Prescan> = discovery
            .files
            .par_iter()
            .map(|file| {
                let r = prescan(rules, &names, file);
                progress.advance();
                r
            })
            .collect();
        progress.finish();
        let mut relevant = Vec::new();
        let mut bytes = 0;
        for (file, (is_relevant, size, sites)) in discovery.files.iter().zip(scans) {
            bytes += size;
            if is_relevant {
                relevant.push(file);
            }
            for (table, offset) in sites {
                catalog.add_site(&table, &file.path, offset);
            }
        }
        catalog.set_reader(site_reader(rules, request.options.dialect));
        prescanned = Some((relevant, bytes));
    }

    let (changes, derived, mut expansion_findings) = expand(rules, &discovery.files, request, &catalog);
    let names = if derived.iter().any(Option::is_some) {
        let wider = changes.matcher();
        if let Some((relevant, _)) = &mut prescanned {
            // Derived changes watch more names (the re-exporting models): files the first
            // pass found irrelevant are checked again for them.
            let known: std::collections::HashSet<&Path> = relevant.iter().map(|f| f.path.as_path()).collect();
            let more: Vec<&SourcePath> = discovery
                .files
                .par_iter()
                .filter(|f| !known.contains(f.path.as_path()))
                .filter(|f| std::fs::read(&f.path).map_or(true, |b| wider.is_relevant(&b)))
                .collect();
            relevant.extend(more);
            relevant.sort_by(|a, b| a.path.cmp(&b.path));
        }
        wider
    } else {
        names
    };
    let ctx = RuleContext { changes: &changes, options: &request.options, catalog: &catalog, names: &names };
    let to_scan: Vec<&SourcePath> = match &prescanned {
        Some((relevant, _)) => relevant.clone(),
        None => discovery.files.iter().collect(),
    };
    progress.start(to_scan.len());
    let mut results: Vec<FileResult> = to_scan
        .par_iter()
        .map(|file| {
            let r = scan_file(rules, &ctx, file);
            progress.advance();
            r
        })
        .collect();
    progress.finish();
    if let Some((_, bytes)) = prescanned {
        // The first pass read every byte; the second re-read only what it parsed.
        results.iter_mut().for_each(|r| r.bytes = 0);
        results.push(FileResult { bytes, ..FileResult::default() });
    }

    let mut summary = Summary { files_scanned: discovery.files.len(), ..Summary::default() };
    let mut files = Vec::new();
    let mut findings: Vec<PlanFinding> = discovery
        .skipped
        .iter()
        .map(|s| PlanFinding {
            path: s.path.clone(),
            line: 0,
            column: 0,
            rule: "core/skipped-file".into(),
            change: None,
            severity: Severity::Info,
            message: format!("not scanned: {}", s.reason),
        })
        .collect();
    findings.append(&mut expansion_findings);
    summary.files_skipped = discovery.skipped.len();
    for r in results {
        summary.files_parsed += r.parsed as usize;
        summary.files_skipped += r.skipped as usize;
        summary.bytes_scanned += r.bytes;
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
    let changes = changes
        .changes
        .into_iter()
        .zip(derived)
        .map(|(change, d)| match d {
            Some((from, reason)) => PlanChange { change, derived_from: Some(from), reason: Some(reason) },
            None => PlanChange::from(change),
        })
        .collect();
    Ok(Plan { version: PLAN_VERSION, changes, files, findings, summary })
}

/// Runs the change expanders: the change set the rules see (the request's, then every
/// derived change), what each change derives from and why, and the expanders' findings.
#[allow(clippy::type_complexity)]
fn expand(
    rules: &RuleSet,
    files: &[SourcePath],
    request: &Request,
    catalog: &Catalog,
) -> (ChangeSet, Vec<Option<(usize, String)>>, Vec<PlanFinding>) {
    let mut changes = request.changes.clone();
    let mut derived: Vec<Option<(usize, String)>> = vec![None; changes.changes.len()];
    let mut findings = Vec::new();
    let base = request.changes.changes.len();
    for expander in &rules.expanders {
        let expansion = expander.expand(files, request, catalog);
        // This expander counts its own derived changes from `base`; earlier expanders'
        // changes already sit there.
        let shift = changes.changes.len() - base;
        for d in expansion.changes {
            let from = if d.derived_from >= base { d.derived_from + shift } else { d.derived_from };
            if from >= changes.changes.len() || changes.changes.contains(&d.change) {
                continue;
            }
            changes.changes.push(d.change);
            derived.push(Some((from, d.reason)));
        }
        findings.extend(expansion.findings);
    }
    if !changes.origins.is_empty() {
        changes.origins.resize(changes.changes.len(), Default::default());
    }
    (changes, derived, findings)
}

/// A file's bytes, or its size when it is over [`MAX_FILE_BYTES`]: one open, one stat.
fn read_source(path: &Path) -> std::io::Result<Result<Vec<u8>, u64>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > MAX_FILE_BYTES {
        return Ok(Err(size));
    }
    let mut bytes = Vec::with_capacity(size as usize + 1);
    file.read_to_end(&mut bytes)?;
    Ok(Ok(bytes))
}

/// What the first pass learns of one file: is it relevant, its size, and the statements
/// that may define tables (lower-cased table name, byte offset).
type Prescan = (bool, u64, Vec<(String, usize)>);

/// The first pass over one file.
fn prescan(rules: &RuleSet, names: &NameMatcher, file: &SourcePath) -> Prescan {
    // Unreadable or oversized files are left to the second pass, which reports them.
    let Ok(Ok(bytes)) = read_source(&file.path) else {
        return (true, 0, Vec::new());
    };
    let sites = rules
        .catalog_sources
        .iter()
        .filter(|s| s.language() == file.lang)
        .flat_map(|s| s.index(&file.path, &bytes))
        .collect();
    (names.is_relevant(&bytes), bytes.len() as u64, sites)
}

/// Reads an indexed DDL statement when a rule first asks about its table.
fn site_reader(rules: &RuleSet, dialect: Dialect) -> Arc<crate::catalog::SiteReader> {
    let sources = rules.catalog_sources.clone();
    Arc::new(move |path: &Path, offset: usize| -> Option<CatalogEntry> {
        let lang = Lang::of_path(path)?;
        let text = std::fs::read_to_string(path).ok()?;
        sources.iter().filter(|s| s.language() == lang).find_map(|s| s.read(path, &text, offset, dialect))
    })
}

fn file_finding(path: &Path, severity: Severity, rule: &str, message: String) -> PlanFinding {
    PlanFinding {
        path: path.to_path_buf(),
        line: 0,
        column: 0,
        rule: rule.into(),
        change: None,
        severity,
        message,
    }
}

/// Reads, prefilters, parses and rewrites one file. Problems with the file become findings.
pub fn scan_file(rules: &RuleSet, ctx: &RuleContext<'_>, file: &SourcePath) -> FileResult {
    let mut result = FileResult::default();
    let path = &file.path;
    let bytes = match read_source(path) {
        Ok(Ok(b)) => b,
        Ok(Err(size)) => {
            result.skipped = true;
            result.findings.push(file_finding(
                path,
                Severity::Review,
                "core/skipped-file",
                format!(
                    "not scanned: {size} bytes is over the {MAX_FILE_BYTES}-byte limit for a source file"
                ),
            ));
            return result;
        }
        Err(e) => {
            result.skipped = true;
            result.findings.push(file_finding(
                path,
                Severity::Review,
                "core/skipped-file",
                format!("cannot read: {e}"),
            ));
            return result;
        }
    };
    result.bytes = bytes.len() as u64;
    if !ctx.names.is_relevant(&bytes) {
        return result;
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        result.skipped = true;
        result.findings.push(file_finding(
            path,
            Severity::Info,
            "core/skipped-file",
            "not scanned: binary content that mentions a changed name".into(),
        ));
        return result;
    }
    let bom = if bytes.starts_with(UTF8_BOM) { UTF8_BOM.len() } else { 0 };
    let text = match std::str::from_utf8(&bytes[bom..]) {
        Ok(t) => t,
        Err(e) => {
            result.skipped = true;
            let at = bom + e.valid_up_to();
            let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
            result.findings.push(PlanFinding {
                line,
                column: 1,
                ..file_finding(
                    path,
                    Severity::Review,
                    "core/skipped-file",
                    format!("not scanned: invalid UTF-8 at byte {at}, and the file mentions a changed name"),
                )
            });
            return result;
        }
    };

    result.parsed = true;
    let source = SourceFile::new(path, file.lang, text);
    let mut out = RuleOutput::default();
    for rule in rules.for_language(file.lang) {
        rule.run(&source, ctx, &mut out);
    }
    let (edits, mut findings) = merge_edits(std::mem::take(&mut out.edits));
    findings.append(&mut out.findings);
    let edits = validate(file.lang, text, source.parsed_tree(), edits, &mut findings);

    let index = LineIndex::new(text);
    let locate = |offset: usize| index.line_col(offset);
    result.findings.extend(findings.into_iter().map(|f| {
        let (line, column) = locate(f.start);
        PlanFinding {
            path: path.clone(),
            line,
            column,
            rule: f.rule,
            change: f.change,
            severity: f.severity,
            message: f.message,
        }
    }));
    if edits.is_empty() {
        return result;
    }
    let new_text = apply_edits(text, &edits);
    let relative = file.relative.to_string_lossy().replace('\\', "/");
    let diff = unified_diff(&relative, text, &new_text);
    let mut rewritten = bytes[..bom].to_vec();
    rewritten.extend_from_slice(new_text.as_bytes());
    let plan_edits = edits
        .into_iter()
        .map(|e| {
            let (line, column) = locate(e.start);
            PlanEdit {
                start: e.start + bom,
                end: e.end + bom,
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
    result.plan = Some(FilePlan {
        path: path.clone(),
        relative: file.relative.clone(),
        language: file.lang,
        edits: plan_edits,
        diff,
        original: bytes,
        rewritten,
    });
    result
}

/// The validator: a rewritten file must parse with no more syntax errors than before.
/// Otherwise every edit of the file is withdrawn and a finding says why.
/// `tree` is the original's tree when it was parsed already; without it, the original is
/// parsed only if the rewrite has syntax errors to compare with.
pub fn validate(
    lang: Lang,
    text: &str,
    tree: Option<&tree_sitter::Tree>,
    edits: Vec<Edit>,
    findings: &mut Vec<Finding>,
) -> Vec<Edit> {
    if edits.is_empty() {
        return edits;
    }
    let new_text = apply_edits(text, &edits);
    let why = if lang.grammar().is_none() {
        // No grammar to count errors with (YAML): the rewrite must load and keep its shape.
        match yaml_rewrite_error(text, &new_text) {
            None => return edits,
            Some(why) => why,
        }
    } else {
        let after = syntax_error_count(&lang.parse(&new_text));
        if after == 0 {
            return edits;
        }
        let before = match tree {
            Some(t) => syntax_error_count(t),
            None => syntax_error_count(&lang.parse(text)),
        };
        if after <= before {
            return edits;
        }
        format!("the rewritten file would have {after} syntax errors instead of {before}")
    };
    for e in &edits {
        findings.push(Finding {
            start: e.start,
            end: e.end,
            rule: "core/invalid-rewrite".into(),
            change: Some(e.change),
            severity: Severity::Review,
            message: format!(
                "edit withdrawn: {} wanted {:?} here, but {why}; all edits of this file were withdrawn",
                e.rule, e.replacement
            ),
        });
    }
    Vec::new()
}
