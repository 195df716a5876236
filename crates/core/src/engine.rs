//! The pipeline: discover → read and prefilter → catalog → expansion → scan → merge and
//! validate → assemble. Each stage is a plain function over plain data in a module of its
//! own; [`plan`] runs them in order. Every file is read once, by the read stage; later
//! stages get its text.

mod assemble;
mod expand;
mod migrations;
mod prose;
mod read;
mod ruleset;
mod scan;
mod sites;
mod validate;
mod warnings;

pub use expand::{ChangeExpander, DerivedChange, Expansion};
pub use read::MAX_FILE_BYTES;
pub use ruleset::{NameWriter, RuleSet};
pub use scan::{scan_file, FileResult, FileStatus};
pub use sites::{CatalogSite, CatalogSource};
pub use validate::validate;

use crate::catalog::Catalog;
use crate::change::ChangeSet;
use crate::config::Config;
use crate::discover::discover;
use crate::error::InputError;
use crate::memory::MemoryFiles;
use crate::plan::Plan;
use crate::rule::{Options, RuleContext};
use crate::timings::{Lap, Timings};
use rayon::prelude::*;
use read::{Admission, Wants};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// What to plan: a change set carried through the files under some roots.
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct Request {
    /// The changes to carry through.
    pub changes: ChangeSet,
    /// The PATH arguments.
    pub roots: Vec<PathBuf>,
    /// Run-wide settings.
    pub options: Options,
    /// Tables known up front (`--catalog`).
    pub catalog: Catalog,
    /// The repos' settings (`ripple.toml`): excluded and historical files, dialects by path.
    pub config: Config,
    /// Files held in memory to plan over instead of the disk (`roots` then name files and
    /// folders of the set).
    pub files: Option<Arc<MemoryFiles>>,
    /// Whether the plan's summary carries the time of each phase.
    pub timings: bool,
}

impl Request {
    /// The changes to carry through the files under `roots`, with the default options, no
    /// catalog and no `ripple.toml`.
    pub fn new(changes: ChangeSet, roots: Vec<PathBuf>) -> Self {
        Request { changes, roots, ..Request::default() }
    }

    /// With these run-wide settings.
    pub fn with_options(self, options: Options) -> Self {
        Request { options, ..self }
    }

    /// With these tables known up front.
    pub fn with_catalog(self, catalog: Catalog) -> Self {
        Request { catalog, ..self }
    }

    /// With these repo settings.
    pub fn with_config(self, config: Config) -> Self {
        Request { config, ..self }
    }

    /// With the time of each phase in the plan's summary (or without).
    pub fn with_timings(self, timings: bool) -> Self {
        Request { timings, ..self }
    }

    /// Over these files held in memory instead of the disk.
    pub fn with_files(self, files: MemoryFiles) -> Self {
        Request { files: Some(Arc::new(files)), ..self }
    }
}

/// Told about the progress of a long run (the CLI draws a bar from it).
pub trait Progress: Sync {
    /// A stage of the run starts (`reading`, `scanning`); [`Progress::start`] follows.
    fn stage(&self, _name: &'static str) {}
    /// A stage over `files` files starts.
    fn start(&self, _files: usize) {}
    /// One more file is done.
    fn advance(&self) {}
    /// A file's edits (merged and validated) and findings are ready, as the file finishes and
    /// before the run does; files finish in any order. A later stage can still add to the
    /// plan's findings about a file (a migration that is needed) or, in the facade's dbt
    /// stage, withdraw its edits: the returned plan is what holds.
    fn file_done(&self, _result: &FileResult) {}
    /// The stage is over.
    fn finish(&self) {}
}

/// A `Progress` that ignores everything.
pub struct NoProgress;
impl Progress for NoProgress {}

/// Runs the whole pipeline and returns the plan. Never writes.
pub fn plan(rules: &RuleSet, request: &Request, progress: &dyn Progress) -> Result<Plan, InputError> {
    let started = Instant::now();
    let (mut lap, mut timings) = (Lap::start(), Timings::default());
    let mut discovery = match &request.files {
        Some(set) => set.discover(&request.roots)?,
        None => discover(&request.roots)?,
    };
    discovery.files.retain(|f| !request.config.excludes(&f.relative));
    timings.add("walk", lap.lap(), discovery.files.len());

    // Column changes need to know other tables' columns to resolve joins; a table rename
    // needs to know which columns of the table are serial (its sequences follow it).
    let indexed = !rules.catalog_sources().is_empty() && !request.changes.changes.is_empty();
    let every_file_of = expand::languages(rules, request);
    let renamed: Vec<&crate::change::TableName> = request
        .changes
        .changes
        .iter()
        .filter(|c| matches!(c, crate::change::Change::RenameTable { .. }))
        .map(|c| c.table())
        .collect();
    let wants = Wants {
        rules,
        sites: indexed,
        every_file_of: &every_file_of,
        files: request.files.as_deref(),
        placed: Some((&request.config.layouts, &renamed)),
    };
    let names = request.changes.matcher();
    let mut read =
        each_file(progress, "reading", &discovery.files, |file| read::read_file(file, &names, &wants));
    timings.add("read+prefilter", lap.lap(), read.len());

    let kept = read.iter().filter(|f| !f.sites.is_empty()).map(|f| {
        let text = match &f.source {
            Some(source) => crate::catalog::SiteText::Kept(Arc::clone(source)),
            None => crate::catalog::SiteText::OnDisk(f.file.clone()),
        };
        (text, f.sites.as_slice())
    });
    let with_sites = read.iter().filter(|f| !f.sites.is_empty()).count();
    let catalog = sites::build_catalog(
        rules,
        &request.catalog,
        kept,
        indexed,
        request.options.dialect,
        &request.config.layouts,
    );
    timings.add("catalog", lap.lap(), with_sites);
    let expanded = expand::expand(rules, &read, request, &catalog);
    let expander_files = read.iter().filter(|f| every_file_of.contains(&f.file.lang)).count();
    let names = if expanded.derived_any() {
        // Derived changes watch more names (the re-exporting models).
        let wider = expanded.changes.matcher();
        read::widen(&discovery.files, &mut read, &wider, rules);
        wider
    } else {
        names
    };
    timings.add("expansion", lap.lap(), expander_files);

    let ctx = RuleContext {
        changes: &expanded.changes,
        options: &request.options,
        catalog: &catalog,
        hosts: rules.hosts(),
        names: &names,
        placed: None,
    };
    let bytes_read = read.iter().map(|r| r.bytes).sum();
    let mut to_scan = Vec::new();
    let mut results = Vec::new();
    for r in read {
        match r.admission {
            Admission::Relevant(source) => to_scan.push(source),
            Admission::Skipped(finding) => {
                let result = scan::skipped(finding);
                progress.file_done(&result);
                results.push(result);
            }
            Admission::Filtered => {}
        }
    }
    // Large files first, so that no core is left alone with one at the end; the results
    // keep the files' order.
    let mut order: Vec<usize> = (0..to_scan.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(to_scan[i].text().len()));
    lap.lap();
    let mut scanned = each_file(progress, "scanning", &order, |&i| {
        let result = scan::scan(rules, &ctx, &request.config, &to_scan[i]);
        progress.file_done(&result);
        (i, result)
    });
    scanned.sort_by_key(|(i, _)| *i);
    let scanned: Vec<FileResult> = scanned.into_iter().map(|(_, result)| result).collect();
    timings.add("scan", lap.lap(), to_scan.len());
    scan::add_times(&mut timings, &to_scan, &scanned);
    results.extend(scanned);
    let (needed, suggested) = migrations::needed(
        &request.roots,
        &to_scan,
        ctx.changes,
        request.options.dialect,
        &request.config,
        &catalog,
        &|name, dialect| rules.write_name(name, dialect),
    );
    timings.add("migrations", lap.lap(), to_scan.len());
    let mut plan = assemble::assemble(assemble::Stages {
        files_found: discovery.files.len(),
        unwalked: discovery.skipped,
        expanded,
        bytes_read,
        results,
        started,
    });
    if !needed.is_empty() {
        plan.summary.findings += needed.len();
        plan.findings.extend(needed);
        plan.findings
            .sort_by(|a, b| (&a.path, a.line, a.column, &a.rule).cmp(&(&b.path, b.line, b.column, &b.rule)));
        plan.suggested_migration = suggested;
    }
    plan.warnings = warnings::check(&plan, &catalog, &request.roots);
    timings.add("assemble+warnings", lap.lap(), plan.files.len());
    plan.summary.timings = request.timings.then_some(timings);
    Ok(plan)
}

/// Runs `stage` over every item on every core, telling `progress`.
fn each_file<T: Sync, R: Send>(
    progress: &dyn Progress,
    stage_name: &'static str,
    items: &[T],
    stage: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    progress.stage(stage_name);
    progress.start(items.len());
    let out = items
        .par_iter()
        .map(|item| {
            let r = stage(item);
            progress.advance();
            r
        })
        .collect();
    progress.finish();
    out
}
