//! The command line, as DESIGN.md specifies it.

pub(crate) mod campaign;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "ripple",
    version,
    about = "Carry a database schema change through the code that consumes it",
    long_about = "Carry a database schema change through the code that consumes it.\n\n\
ripple reads a change set (column renames, type changes, drops, table renames), finds every \
reference in SQL files and dbt models under the given paths, rewrites what resolves with \
certainty at the syntax-tree level, and reports everything else for review at its exact line.",
    after_help = "Exit codes: 0 success; 1 --check found pending edits or review findings, or apply \
left a file alone (it changed since it was planned, or its owner could not be kept); 2 bad usage or \
bad input (the message names the file and line); 130/143 apply stopped by SIGINT/SIGTERM.\n\n\
Example:\n  ripple plan --changes changes.yaml models/ services/\n  ripple apply --changes migration.sql ."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Show the edits and findings for a change set, as diffs, JSON or a patch. Never writes.
    Plan(PlanArgs),
    /// Rewrite the files in place (atomically) and print what changed.
    Apply(ApplyArgs),
    /// List every reference to a changed name, rewritten or not. Never writes.
    Impact(ImpactArgs),
    /// Print a change file derived from two versions of a schema's DDL.
    #[command(name = "schema-diff")]
    SchemaDiff(SchemaDiffArgs),
    /// Rule files: list them, run their fixture tests, explain one.
    Rules(RulesArgs),
    /// Check dbt projects the way dbt parses them: every ref() and source() resolves, no two
    /// nodes share a name, every YAML entry names a node. Exits 1 when a problem is found.
    #[command(name = "dbt-check")]
    DbtCheck(DbtCheckArgs),
    /// One change set across a fleet of repos: a verified branch per owner.
    Campaign(campaign::CampaignArgs),
    /// Print a completion script for SHELL (e.g. `ripple completions bash > ~/.local/share/bash-completion/completions/ripple`).
    Completions(CompletionsArgs),
    /// Write the man pages (ripple.1 and one per command) to DIR; `cargo xtask man` runs it.
    #[command(hide = true)]
    Man(ManArgs),
    /// Print the JSON Schema of the change file, the JSON plan or the JSON impact report.
    Schema(SchemaArgs),
    /// Serve plan, apply, impact and the rule docs over the Model Context Protocol on stdio.
    Mcp,
}

#[derive(Args, Debug, Clone)]
pub struct Common {
    /// The change set: a YAML/JSON change file, or a .sql migration of ALTER TABLE statements.
    #[arg(long, short = 'c', value_name = "FILE", required = true)]
    pub changes: Option<PathBuf>,

    /// DDL files that describe table columns (repeatable).
    #[arg(long, value_name = "DDL.sql")]
    pub catalog: Vec<PathBuf>,

    /// SQL dialect of the code and of a .sql change file; guessed per file when omitted.
    #[arg(long, value_enum)]
    pub dialect: Option<DialectArg>,

    /// Keep a query's output names when a projected column is renamed (`username AS
    /// user_name`), or rename them through [default: `output-names` of the config, else
    /// preserve].
    #[arg(long, value_enum)]
    pub output_names: Option<OutputNamesArg>,

    /// How a table rename renames a dbt dataset: `identifier` gives a source table
    /// `identifier: <new>` (no SQL changes) and moves a model or seed; `names` renames a
    /// source table's `name:` and every `source()` call too; `alias` gives a model or seed
    /// an `alias` config [default: `dbt-rename` of the config, else identifier].
    #[arg(long, value_enum)]
    pub dbt_rename: Option<DbtRenameArg>,

    /// The settings file (default: `ripple.toml` at each PATH, when there is one).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// A directory of extra rule files (repeatable); they override built-in rules of the
    /// same id.
    #[arg(long, value_name = "DIR")]
    pub rules: Vec<PathBuf>,

    /// Exit with code 1 when edits or review findings remain.
    #[arg(long)]
    pub check: bool,

    /// Exit with code 2 when the change set draws a warning (a column the catalog does not
    /// know, a change nothing references, no files to scan).
    #[arg(long)]
    pub strict: bool,

    /// Record this run's findings in FILE (JSON), for `--baseline` to hide later.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Hide the findings recorded in FILE by `--write-baseline` (matched by path, rule and
    /// the text of their line).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// List info findings too (otherwise only their count), and print the time and files of
    /// each phase on stderr (as `RIPPLE_TIMINGS=1` does; the JSON summary carries them too).
    #[arg(long, short = 'v')]
    pub verbose: bool,

    /// Print no warnings, notes or progress bar on stderr, and nothing on stdout for apply;
    /// errors are still printed.
    #[arg(long, short = 'q', conflicts_with = "verbose")]
    pub quiet: bool,

    /// When to color the output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    /// Repo checkouts or files to scan (default: the current directory).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct PlanArgs {
    #[command(flatten)]
    pub common: Common,

    /// Output format: colored diffs and findings, the JSON plan (version 1), a patch for
    /// `git apply`, a SARIF 2.1.0 log, JSON lines (one object per file, then a summary), or
    /// GitHub Actions annotations.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Args, Debug)]
#[command(mut_arg("changes", |a| a.required(false).required_unless_present("plan")))]
pub struct ApplyArgs {
    #[command(flatten)]
    pub common: Common,

    /// Ask about each edit before writing it: y (apply), n (skip), a (apply it and all the
    /// rest), q (apply none of the rest).
    #[arg(long, short = 'i')]
    pub interactive: bool,

    /// Apply exactly the edits of this saved JSON plan (`plan --format json`), refusing any
    /// file changed since; paths in it are taken from the current directory.
    #[arg(long, value_name = "PLAN.json", conflicts_with_all = ["changes", "catalog", "rules", "dialect", "paths"])]
    pub plan: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ImpactArgs {
    #[command(flatten)]
    pub common: Common,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ImpactFormat::Text)]
    pub format: ImpactFormat,
}

#[derive(Args, Debug)]
pub struct SchemaDiffArgs {
    /// The schema's DDL before the change.
    pub old: PathBuf,
    /// The schema's DDL after the change.
    pub new: PathBuf,
    /// SQL dialect of both files; tried in turn when omitted.
    #[arg(long, value_enum)]
    pub dialect: Option<DialectArg>,
}

#[derive(Args, Debug)]
pub struct DbtCheckArgs {
    /// Directories holding dbt projects, at any depth (default: the current directory).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ImpactFormat::Text)]
    pub format: ImpactFormat,
}

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Args, Debug)]
pub struct ManArgs {
    /// The directory to write the pages to.
    pub dir: PathBuf,
}

#[derive(Args, Debug)]
pub struct SchemaArgs {
    /// Which document.
    #[arg(value_enum)]
    pub document: DocumentArg,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentArg {
    Changes,
    Plan,
    Impact,
}

impl From<DocumentArg> for ripple::core::Document {
    fn from(d: DocumentArg) -> Self {
        match d {
            DocumentArg::Changes => ripple::core::Document::Changes,
            DocumentArg::Plan => ripple::core::Document::Plan,
            DocumentArg::Impact => ripple::core::Document::Impact,
        }
    }
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: crate::rules_cmd::RulesCommand,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Patch,
    Sarif,
    Jsonl,
    Github,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImpactFormat {
    Text,
    Json,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialectArg {
    Postgres,
    Mysql,
    Bigquery,
    Snowflake,
    Spark,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputNamesArg {
    Preserve,
    Propagate,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbtRenameArg {
    Identifier,
    Names,
    Alias,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

impl From<DialectArg> for ripple::Dialect {
    fn from(d: DialectArg) -> Self {
        match d {
            DialectArg::Postgres => ripple::Dialect::Postgres,
            DialectArg::Mysql => ripple::Dialect::Mysql,
            DialectArg::Bigquery => ripple::Dialect::Bigquery,
            DialectArg::Snowflake => ripple::Dialect::Snowflake,
            DialectArg::Spark => ripple::Dialect::Spark,
        }
    }
}

impl From<DbtRenameArg> for ripple::DbtRename {
    fn from(d: DbtRenameArg) -> Self {
        match d {
            DbtRenameArg::Identifier => ripple::DbtRename::Identifier,
            DbtRenameArg::Names => ripple::DbtRename::Names,
            DbtRenameArg::Alias => ripple::DbtRename::Alias,
        }
    }
}

impl From<OutputNamesArg> for ripple::OutputNames {
    fn from(o: OutputNamesArg) -> Self {
        match o {
            OutputNamesArg::Preserve => ripple::OutputNames::Preserve,
            OutputNamesArg::Propagate => ripple::OutputNames::Propagate,
        }
    }
}
