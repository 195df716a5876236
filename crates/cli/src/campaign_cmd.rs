//! `ripple campaign ...`: one change set across a fleet of repos (crates/campaign).

use crate::args::campaign::{CampaignCommand, FleetInputs, GroupByArg, OutFormat};
use crate::{emit, EXIT_BAD_INPUT, EXIT_OK, EXIT_PENDING};
use ripple::{Dialect, InputError, InputErrors};
use ripple_campaign::{order, render, GroupBy, RunOptions};
use std::path::PathBuf;

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
