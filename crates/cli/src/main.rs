//! The `ripple` binary: the command line over the `ripple` library, which has every
//! language plugged in.

/// `eprintln!` that never panics: a message that cannot be written (stderr on a full disk
/// or a closed pipe) is dropped, and the exit code still says what happened.
macro_rules! report {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod args;
mod campaign_cmd;
mod dbt_check;
mod git_path;
mod interactive;
mod interrupt;
mod mcp;
mod progress;
mod render;
mod rules_cmd;
mod style;
mod timing;

use args::{Cli, Command, Common, Format, ImpactFormat};
use clap::{CommandFactory, Parser};
use interrupt::Interrupt;
use ripple::core::baseline::Baseline;
use ripple::core::Config;
use ripple::{
    apply_plan_with, apply_saved_plan, ApplyOptions, ApplyReport, Dialect, InputError, InputErrors, Plan,
    Request,
};
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use style::Style;

/// `--format jsonl`'s lines, on stdout.
type JsonlStream = render::jsonl::Stream<std::io::Stdout>;

/// Exit codes, as documented in `--help` and the README: success.
const EXIT_OK: i32 = 0;
/// `--check` found pending edits or review findings (or `rules test` a failing case).
const EXIT_PENDING: i32 = 1;
/// Bad usage or bad input (or, with `--strict`, a warning).
const EXIT_BAD_INPUT: i32 = 2;

fn main() {
    timing::mark_start();
    std::process::exit(run(std::env::args_os()));
}

/// Runs the CLI with `args` (program name first) and returns the process exit code.
fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_BAD_INPUT } else { EXIT_OK };
        }
    };
    let result = match cli.command {
        Command::Plan(a) => plan_command(&a.common, a.format),
        Command::Apply(a) => apply_command(&a.common, a.interactive, a.plan.as_deref()),
        Command::Impact(a) => impact_command(&a.common, a.format),
        Command::Rules(a) => rules_cmd::run(&a.command),
        Command::DbtCheck(a) => dbt_check::run(&a),
        Command::Campaign(a) => campaign_cmd::run(&a.command),
        Command::Completions(a) => {
            clap_complete::generate(a.shell, &mut Cli::command(), "ripple", &mut std::io::stdout());
            Ok(EXIT_OK)
        }
        Command::Man(a) => man_pages(&a.dir),
        Command::SchemaDiff(a) => {
            let dialect = a.dialect.map(Dialect::from).unwrap_or_default();
            ripple::schema_diff(&a.old, &a.new, dialect).map(|yaml| {
                emit(&yaml);
                EXIT_OK
            })
        }
        Command::Schema(a) => {
            emit(&ripple::core::Document::from(a.document).schema_text());
            Ok(EXIT_OK)
        }
        Command::Mcp => mcp::serve(),
    };
    match result {
        Ok(code) => code,
        Err(errors) => {
            for e in &errors.0 {
                report!("error: {e}");
            }
            EXIT_BAD_INPUT
        }
    }
}

/// Writes `ripple.1` and a page per command into `dir`.
fn man_pages(dir: &std::path::Path) -> Result<i32, InputErrors> {
    std::fs::create_dir_all(dir)
        .and_then(|_| clap_mangen::generate_to(Cli::command(), dir))
        .map_err(|e| ripple::InputError::file(dir, format!("cannot write the man pages: {e}")))?;
    Ok(EXIT_OK)
}

/// Writes to stdout; a closed pipe (`ripple plan | head`) is not an error.
fn emit(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}

/// The plan of `common`'s request; with `stream`, each file's JSON line is written to it as
/// the file finishes.
fn build_plan(common: &Common, stream: Option<&JsonlStream>) -> Result<Plan, InputErrors> {
    let dialect = common.dialect.map(Dialect::from).unwrap_or_default();
    let changes = load_changes(common, dialect)?;
    let catalog = ripple::load_catalog(&common.catalog, dialect)?;
    let rules = ripple::rules(&common.rules)?;
    let roots = if common.paths.is_empty() { vec![PathBuf::from(".")] } else { common.paths.clone() };
    let config = load_config(common, &roots)?;
    let output_names = common.output_names.map(Into::into).or(config.output_names).unwrap_or_default();
    let dbt_rename = common.dbt_rename.map(Into::into).or(config.dbt_rename).unwrap_or_default();
    let request = Request::new(changes, roots)
        .with_options(ripple::Options::new(dialect, output_names).with_dbt_rename(dbt_rename))
        .with_catalog(catalog)
        .with_config(config)
        .with_timings(timing::wanted(common));
    let baseline = common.baseline.as_deref().map(Baseline::load).transpose()?;
    let bar = progress::Bar::new(!common.quiet);
    let engine_started = std::time::Instant::now();
    let mut plan = match stream {
        Some(stream) => ripple::plan(&rules, &request, &render::jsonl::Streaming { bar: &bar, stream })?,
        None => ripple::plan(&rules, &request, &bar)?,
    };
    bar.done();
    timing::add_startup(&mut plan, engine_started);
    if let Some(path) = &common.write_baseline {
        std::fs::write(path, Baseline::of(&plan).to_json())
            .map_err(|e| InputError::file(path, format!("cannot write the baseline: {e}")))?;
    }
    if let Some(baseline) = baseline {
        baseline.hide(&mut plan);
    }
    for w in plan.warnings.iter().filter(|_| !common.quiet) {
        report!("warning: {}", w.message);
    }
    Ok(plan)
}

/// `--config FILE`, else the `ripple.toml` of each root, joined.
fn load_config(common: &Common, roots: &[PathBuf]) -> Result<Config, InputErrors> {
    if let Some(path) = &common.config {
        return Ok(Config::load(path)?);
    }
    let mut found = Vec::new();
    for root in roots {
        found.extend(Config::at_root(root)?);
    }
    Ok(Config::merged(found))
}

/// The change set, its warnings printed unless `--quiet`.
fn load_changes(common: &Common, dialect: Dialect) -> Result<ripple::ChangeSet, InputErrors> {
    let Some(path) = &common.changes else {
        return Err(InputError::file(Path::new("--changes"), "a change file is required").into());
    };
    let text = ripple::core::changefile::read_change_text(path)?;
    let loaded = ripple::parse_changes(path, &text, dialect)?;
    for warning in loaded.warnings.iter().filter(|_| !common.quiet) {
        report!("{warning}");
    }
    Ok(loaded.changes)
}

/// `--strict` turns warnings into bad input.
fn strict_failure(common: &Common, plan: &Plan) -> bool {
    common.strict && !plan.warnings.is_empty()
}

fn check_code(common: &Common, plan: &Plan, pending: bool) -> i32 {
    if strict_failure(common, plan) {
        EXIT_BAD_INPUT
    } else if common.check && pending {
        EXIT_PENDING
    } else {
        EXIT_OK
    }
}

fn plan_command(common: &Common, format: Format) -> Result<i32, InputErrors> {
    let stream = matches!(format, Format::Jsonl).then(|| JsonlStream::new(std::io::stdout()));
    let plan = build_plan(common, stream.as_ref())?;
    let render_started = std::time::Instant::now();
    match format {
        Format::Text => emit(&render::plan_text(&plan, common.verbose, Style::for_stdout(common.color))),
        Format::Json => emit(&(plan.to_json() + "\n")),
        Format::Patch => emit(&render::plan_patch(&plan)),
        Format::Sarif => emit(&render::sarif::plan_sarif(&plan, &ripple::RuleDocs::load(&common.rules)?)),
        Format::Jsonl => {
            if let Some(stream) = stream {
                stream.finish(&plan);
            }
        }
        Format::Github => emit(&render::github::plan_github(
            &plan,
            &render::summary_line(&plan, Style::for_stdout(args::ColorArg::Never)),
        )),
    }
    timing::report(common, &plan, render_started);
    Ok(check_code(common, &plan, plan.has_pending_work()))
}

fn impact_command(common: &Common, format: ImpactFormat) -> Result<i32, InputErrors> {
    let plan = build_plan(common, None)?;
    let render_started = std::time::Instant::now();
    match format {
        ImpactFormat::Text => emit(&render::impact_text(&plan, Style::for_stdout(common.color))),
        ImpactFormat::Json => emit(&(render::impact_json(&plan) + "\n")),
    }
    timing::report(common, &plan, render_started);
    Ok(check_code(common, &plan, plan.has_pending_work()))
}

/// A plan read back from `ripple plan --format json` output.
fn read_plan(path: &Path) -> Result<Plan, InputErrors> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::file(path, format!("cannot read plan: {e}")))?;
    Ok(Plan::from_json(path, &text)?)
}

/// Plans and writes (asking about each edit when `interactive`), or with `saved` writes
/// exactly the edits of that saved plan.
fn apply_command(common: &Common, interactive: bool, saved: Option<&Path>) -> Result<i32, InputErrors> {
    let plan = match saved {
        Some(path) => read_plan(path)?,
        None => build_plan(common, None)?,
    };
    if strict_failure(common, &plan) {
        report!("error: --strict: nothing written because of the warnings above");
        return Ok(EXIT_BAD_INPUT);
    }
    let style = Style::for_stdout(common.color);
    let plan = if interactive {
        let (mut input, mut out) = (std::io::stdin().lock(), std::io::stdout().lock());
        interactive::choose(&plan, &mut input, &mut out, style).map_err(|e| {
            ripple::InputError::file(
                std::path::Path::new("<stdin>"),
                format!("cannot ask about the edits: {e}"),
            )
        })?
    } else {
        plan
    };
    let interrupt = Interrupt::install();
    let stop = || interrupt.received().is_some();
    let options = ApplyOptions::default().with_stop(&stop);
    let report =
        if saved.is_some() { apply_saved_plan(&plan, &options) } else { apply_plan_with(&plan, &options) };
    let mut out = String::new();
    for file in &plan.files {
        if report.written.contains(&file.path) {
            out.push_str(&format!(
                "{} {} ({} edits)\n",
                style.green("rewrote"),
                file.path.display(),
                file.edits.len()
            ));
        }
    }
    for (from, to) in &report.moved {
        out.push_str(&format!("{} {} -> {}\n", style.green("renamed"), from.display(), to.display()));
    }
    out.push_str(&render::findings_text(&plan.findings, common.verbose, style));
    out.push_str(&render::summary_line(&plan, style));
    out.push('\n');
    if !common.quiet {
        emit(&out);
    }
    for stale in report.stale_removed.iter().filter(|_| !common.quiet) {
        report!("note: removed {}, left by an interrupted run", stale.display());
    }
    for e in &report.failed {
        report!("error: {e}");
    }
    let signal = interrupt.received();
    if let Some(sig) = signal {
        report!(
            "interrupted by {}: stopped after the file in flight; {} files not written (run apply again)",
            Interrupt::name(sig),
            report.not_attempted.len()
        );
    }
    Ok(apply_code(common, &plan, &report, signal))
}

/// Interrupted: 128 + the signal; a file that could not be read or written: 2; a file left
/// alone on purpose (changed since it was planned, owner not kept): 1; else as `--check` says.
fn apply_code(common: &Common, plan: &Plan, report: &ApplyReport, signal: Option<i32>) -> i32 {
    if let Some(sig) = signal {
        128 + sig
    } else if report.failed.iter().any(|e| !e.refused) {
        EXIT_BAD_INPUT
    } else if !report.failed.is_empty() {
        EXIT_PENDING
    } else {
        check_code(common, plan, plan.review_findings() > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ripple::core::ApplyError;

    fn code(refused: &[bool], signal: Option<i32>) -> i32 {
        let cli = Cli::try_parse_from(["ripple", "apply", "--changes", "c.yaml"]).unwrap();
        let Command::Apply(args) = cli.command else { unreachable!() };
        let plan = Plan::empty(Vec::new());
        let failed = refused
            .iter()
            .map(|&refused| ApplyError { path: "a.sql".into(), message: String::new(), refused })
            .collect();
        let mut report = ApplyReport::default();
        report.failed = failed;
        apply_code(&args.common, &plan, &report, signal)
    }

    #[test]
    fn apply_exits_1_for_a_refused_file_2_for_a_failed_one_and_128_plus_a_signal() {
        assert_eq!(code(&[], None), EXIT_OK);
        assert_eq!(code(&[true], None), EXIT_PENDING);
        assert_eq!(code(&[true, false], None), EXIT_BAD_INPUT);
        assert_eq!(code(&[true], Some(15)), 143);
    }
}
