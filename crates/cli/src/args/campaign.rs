//! The arguments of `ripple campaign ...`, which `campaign_cmd.rs` carries out.

use super::{DialectArg, OutputNamesArg};
use clap::{Args, Subcommand, ValueEnum};
use ripple_campaign::Shard;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct CampaignArgs {
    #[command(subcommand)]
    pub command: CampaignCommand,
}

#[derive(Subcommand, Debug)]
pub enum CampaignCommand {
    /// Per changed dataset: the repos that define it and the repos and owners that read it.
    Plan(PlanArgs),
    /// Make a verified branch per owner group in each repo, producers first, in waves;
    /// resumes from --state when run again.
    Run(RunArgs),
    /// Per owner and per repo: planned, applied, verified, failed, rolled back, open findings.
    Status(StatusArgs),
    /// Delete every branch and worktree the campaign made (of one repo with --repo).
    Rollback(RollbackArgs),
    /// One status over the state directories of several shards.
    Merge(MergeArgs),
}

#[derive(Args, Debug)]
pub struct FleetInputs {
    /// The change set: a YAML/JSON change file, or a .sql migration of ALTER TABLE statements.
    #[arg(long, short = 'c', value_name = "FILE")]
    pub changes: PathBuf,
    /// The fleet file: `repos:` (path, name, owner, verify, timeout) and/or `discover: DIR`.
    #[arg(long, value_name = "FILE")]
    pub fleet: PathBuf,
    /// DDL files that describe table columns (repeatable).
    #[arg(long, value_name = "DDL.sql")]
    pub catalog: Vec<PathBuf>,
    /// SQL dialect of the code and of a .sql change file; guessed per file when omitted.
    #[arg(long, value_enum)]
    pub dialect: Option<DialectArg>,
    /// Keep a query's output names when a projected column is renamed, or rename them through.
    #[arg(long, value_enum, default_value_t = OutputNamesArg::Preserve)]
    pub output_names: OutputNamesArg,
    /// A directory of extra rule files (repeatable).
    #[arg(long, value_name = "DIR")]
    pub rules: Vec<PathBuf>,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct PlanArgs {
    #[command(flatten)]
    pub inputs: FleetInputs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutFormat::Text)]
    pub format: OutFormat,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupByArg {
    Owner,
    Repo,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub inputs: FleetInputs,
    /// The state directory: plan, journal, results, descriptions, logs. Run again with the
    /// same one to resume.
    #[arg(long, value_name = "DIR")]
    pub state: PathBuf,
    /// The campaign's name, in its branch names (ripple/<name>/<owner>); default: the change
    /// file's name.
    #[arg(long)]
    pub name: Option<String>,
    /// One branch per owner group, or one per repo.
    #[arg(long, value_enum, default_value_t = GroupByArg::Owner)]
    pub group_by: GroupByArg,
    /// Run a first wave of N consumer repos; the rest only after it passes.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub canary: usize,
    /// Stop the campaign when a wave's share of failed repos exceeds F (0 to 1).
    #[arg(long, value_name = "F")]
    pub max_failure_rate: Option<f64>,
    /// A shell command run in each verified branch's worktree, with RIPPLE_REPO,
    /// RIPPLE_REPO_PATH, RIPPLE_BRANCH, RIPPLE_BASE, RIPPLE_OWNERS, RIPPLE_TITLE and
    /// RIPPLE_DESCRIPTION (the PR description file) set: `gh pr create --head "$RIPPLE_BRANCH"
    /// --title "$RIPPLE_TITLE" --body-file "$RIPPLE_DESCRIPTION"`.
    #[arg(long, value_name = "CMD")]
    pub publish: Option<String>,
    /// Take shard I of N (0-based) of the fleet, by a stable hash of each repo's name.
    #[arg(long, value_name = "I/N", value_parser = Shard::parse)]
    pub shard: Option<Shard>,
}

#[derive(Args, Debug)]
pub struct StatusArgs {
    /// The campaign's state directory.
    #[arg(long, value_name = "DIR")]
    pub state: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutFormat::Text)]
    pub format: OutFormat,
}

#[derive(Args, Debug)]
pub struct RollbackArgs {
    /// The campaign's state directory.
    #[arg(long, value_name = "DIR")]
    pub state: PathBuf,
    /// Only this repo's branches.
    #[arg(long, value_name = "REPO")]
    pub repo: Option<String>,
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The shards' state directories.
    #[arg(value_name = "STATE", required = true)]
    pub states: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutFormat::Text)]
    pub format: OutFormat,
}
