//! `ripple campaign ...`: one change set across a fleet of repos (crates/campaign).

use crate::args::{DialectArg, OutputNamesArg};
use crate::{emit, EXIT_BAD_INPUT, EXIT_OK, EXIT_PENDING};
use clap::{Args, Subcommand, ValueEnum};
use ripple::{Dialect, InputError, InputErrors};
use ripple_campaign::{order, render, GroupBy, RunOptions, Shard};
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

pub fn run(command: &CampaignCommand) -> Result<i32, InputErrors> {
    match command {
        CampaignCommand::Plan(a) => {
            let plan = fleet_plan(&a.inputs)?;
            let with_edits: Vec<usize> =
                (0..plan.repos.len()).filter(|&r| !plan.repos[r].files.is_empty()).collect();
            let waves = order::waves(&plan, &with_edits, 0).map_err(|c| {
                InputError::file(&a.inputs.fleet, format!("{c} (each reads a dataset the next one defines)"))
            })?;
            emit(&match a.format {
                OutFormat::Text => render::plan_text(&plan, &waves),
                OutFormat::Json => render::plan_json(&plan, &waves),
            });
            Ok(EXIT_OK)
        }
        CampaignCommand::Run(a) => {
            if let Some(f) = a.max_failure_rate.filter(|f| !(0.0..=1.0).contains(f)) {
                return Err(InputError::file(
                    &a.state,
                    format!("--max-failure-rate takes a share from 0 to 1, not {f}"),
                )
                .into());
            }
            let plan = fleet_plan(&a.inputs)?;
            // A branch-name part: `ripple/<name>/<owner>`.
            let name = a.name.clone().unwrap_or_else(|| {
                a.inputs.changes.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
            });
            let name = ripple_campaign::owners::slug(&name);
            let options = RunOptions {
                state: a.state.clone(),
                campaign: name,
                group_by: match a.group_by {
                    GroupByArg::Owner => GroupBy::Owner,
                    GroupByArg::Repo => GroupBy::Repo,
                },
                canary: a.canary,
                max_failure_rate: a.max_failure_rate,
                publish: a.publish.clone(),
                shard: a.shard,
            };
            let report = ripple_campaign::run_campaign(&plan, &options)?;
            let mut out = format!(
                "{} branches made, {} rolled back, {} blocked, {} not run",
                report.finished, report.rolled_back, report.blocked, report.not_run
            );
            if report.touched == 0 && report.stopped.is_none() && report.not_run == 0 {
                out.push_str(" (nothing to do: every branch is done)");
            }
            out.push('\n');
            if let Some(why) = &report.stopped {
                out.push_str(&format!("stopped: {why}\n"));
            }
            emit(&out);
            let clean = report.rolled_back == 0 && report.blocked == 0 && report.stopped.is_none();
            Ok(if clean { EXIT_OK } else { EXIT_PENDING })
        }
        CampaignCommand::Status(a) => status(std::slice::from_ref(&a.state), a.format),
        CampaignCommand::Merge(a) => status(&a.states, a.format),
        CampaignCommand::Rollback(a) => {
            let deleted = ripple_campaign::rollback(&a.state, a.repo.as_deref())?;
            emit(&format!("{deleted} branches deleted\n"));
            Ok(EXIT_OK)
        }
    }
}

fn status(states: &[PathBuf], format: OutFormat) -> Result<i32, InputErrors> {
    match ripple_campaign::load_status(states) {
        Ok(status) => {
            emit(&match format {
                OutFormat::Text => render::status_text(&status),
                OutFormat::Json => render::status_json(&status),
            });
            Ok(EXIT_OK)
        }
        Err(message) => {
            report!("error: {message}");
            Ok(EXIT_BAD_INPUT)
        }
    }
}

fn fleet_plan(inputs: &FleetInputs) -> Result<ripple_campaign::FleetPlan, InputErrors> {
    let dialect = inputs.dialect.map(Dialect::from).unwrap_or_default();
    let fleet = ripple_campaign::load_fleet(&inputs.fleet)?;
    let changes = ripple::load_changes(&inputs.changes, dialect)?;
    let catalog = ripple::load_catalog(&inputs.catalog, dialect)?;
    let rules = ripple::rules(&inputs.rules)?;
    let options = ripple::Options::new(dialect, inputs.output_names.into());
    let plan_inputs =
        ripple_campaign::Inputs { changes_path: &inputs.changes, changes, rules: &rules, options, catalog };
    ripple_campaign::plan_fleet(plan_inputs, &fleet)
}
