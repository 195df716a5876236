//! The text and JSON forms of `campaign plan` and `campaign status`.

use crate::impact::{owner_counts, FleetPlan, RepoPlan};
use crate::order::Wave;
use crate::status::{BranchState, Counts, Status};
use serde_json::{json, Value};

/// The version of the JSON forms of `campaign plan` and `campaign status`.
pub const CAMPAIGN_JSON_VERSION: u32 = 1;

fn owners_json(repo: &RepoPlan, only: Option<&[usize]>) -> Value {
    let owners: Vec<Value> = owner_counts(repo, only)
        .into_iter()
        .map(|(o, (edits, findings))| json!({ "owner": o.label(), "edits": edits, "findings": findings }))
        .collect();
    json!(owners)
}

/// A repo's counts about one dataset's changes.
fn repo_counts(repo: &RepoPlan, changes: &[usize]) -> Value {
    let (edits, findings) = totals(&owner_counts(repo, Some(changes)));
    json!({ "repo": repo.repo.name, "edits": edits, "findings": findings, "owners": owners_json(repo, Some(changes)) })
}

fn totals(counts: &std::collections::BTreeMap<crate::owners::Owner, (usize, usize)>) -> (usize, usize) {
    counts.values().fold((0, 0), |(e, f), (de, df)| (e + de, f + df))
}

/// `campaign plan --format json`.
pub fn plan_json(plan: &FleetPlan, waves: &[Wave]) -> String {
    let datasets: Vec<Value> = plan
        .datasets
        .iter()
        .map(|d| {
            let list = |set: &std::collections::BTreeSet<usize>| -> Vec<Value> {
                set.iter().map(|&r| repo_counts(&plan.repos[r], &d.changes)).collect()
            };
            json!({ "dataset": d.name, "changes": d.changes, "producers": list(&d.producers), "consumers": list(&d.consumers) })
        })
        .collect();
    let repos: Vec<Value> = plan
        .repos
        .iter()
        .map(|r| {
            json!({
                "repo": r.repo.name,
                "path": r.repo.path.to_string_lossy().replace('\\', "/"),
                "produces": r.produces.iter().map(|&d| plan.datasets[d].name.clone()).collect::<Vec<_>>(),
                "depends_on": r.depends_on.iter().map(|&p| plan.repos[p].repo.name.clone()).collect::<Vec<_>>(),
                "files": r.files.iter().map(|f| json!({
                    "path": f.relative.to_string_lossy().replace('\\', "/"),
                    "owner": f.owner.label(),
                    "owner_source": f.owner_source,
                    "edits": f.plan.edits.len(),
                })).collect::<Vec<_>>(),
                "edits": r.edits(),
                "findings": r.findings.len(),
                "owners": owners_json(r, None),
            })
        })
        .collect();
    let waves: Vec<Value> = waves
        .iter()
        .map(|w| json!({ "label": w.label, "repos": w.repos.iter().map(|&r| plan.repos[r].repo.name.clone()).collect::<Vec<_>>() }))
        .collect();
    let value = json!({
        "version": CAMPAIGN_JSON_VERSION,
        "change_set": plan.change_set_hash,
        "changes": plan.plan.changes,
        "datasets": datasets,
        "repos": repos,
        "waves": waves,
        "summary": summary(plan),
    });
    serde_json::to_string_pretty(&value).expect("json") + "\n"
}

fn summary(plan: &FleetPlan) -> Value {
    json!({
        "repos": plan.repos.len(),
        "repos_with_edits": plan.repos.iter().filter(|r| !r.files.is_empty()).count(),
        "edits": plan.repos.iter().map(RepoPlan::edits).sum::<usize>(),
        "findings": plan.repos.iter().map(|r| r.findings.len()).sum::<usize>(),
    })
}

fn counts_text(edits: usize, findings: usize) -> String {
    let s = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    format!("{}, {}", s(edits, "edit"), s(findings, "finding"))
}

/// `campaign plan`, as text.
pub fn plan_text(plan: &FleetPlan, waves: &[Wave]) -> String {
    let mut out = String::new();
    for d in &plan.datasets {
        let changes: Vec<String> = d.changes.iter().map(|&c| plan.plan.changes[c].to_string()).collect();
        out.push_str(&format!("{}\n  changes: {}\n", d.name, changes.join("; ")));
        for (label, set) in [("producers", &d.producers), ("consumers", &d.consumers)] {
            if set.is_empty() {
                out.push_str(&format!("  {label}: none in the fleet\n"));
                continue;
            }
            out.push_str(&format!("  {label}:\n"));
            for &r in set {
                let repo = &plan.repos[r];
                let counts = owner_counts(repo, Some(&d.changes));
                let (edits, findings) = totals(&counts);
                out.push_str(&format!("    {}: {}\n", repo.repo.name, counts_text(edits, findings)));
                for (owner, (e, f)) in counts {
                    out.push_str(&format!("      {}: {}\n", owner.label(), counts_text(e, f)));
                }
            }
        }
    }
    if !waves.is_empty() {
        out.push_str("order:\n");
        for (i, w) in waves.iter().enumerate() {
            let names: Vec<&str> = w.repos.iter().map(|&r| plan.repos[r].repo.name.as_str()).collect();
            out.push_str(&format!("  {}. {}: {}\n", i + 1, w.label, names.join(", ")));
        }
    }
    let s = summary(plan);
    out.push_str(&format!(
        "{} repos, {} with edits; {}\n",
        s["repos"],
        s["repos_with_edits"],
        counts_text(s["edits"].as_u64().unwrap_or(0) as usize, s["findings"].as_u64().unwrap_or(0) as usize)
    ));
    out
}

/// `campaign status --format json`.
pub fn status_json(status: &Status) -> String {
    let mut value = serde_json::to_value(status).expect("json");
    value["version"] = json!(CAMPAIGN_JSON_VERSION);
    serde_json::to_string_pretty(&value).expect("json") + "\n"
}

fn counts_line(c: &Counts) -> String {
    format!(
        "planned {}, applied {}, verified {}, failed {}, rolled back {}, blocked {}, findings open {}",
        c.planned, c.applied, c.verified, c.failed, c.rolled_back, c.blocked, c.findings_open
    )
}

/// `campaign status`, as text.
pub fn status_text(status: &Status) -> String {
    let mut out = format!(
        "campaign {} (change set {})\n  {}\n",
        status.campaign,
        status.change_set,
        counts_line(&status.totals)
    );
    out.push_str("by owner:\n");
    for (owner, c) in &status.owners {
        out.push_str(&format!("  {owner}: {}\n", counts_line(c)));
    }
    out.push_str("by repo:\n");
    for r in &status.repos {
        out.push_str(&format!("  {} ({} findings open)\n", r.repo, r.findings_open));
        for b in &r.branches {
            let state = match b.state {
                BranchState::Planned => "planned".to_string(),
                BranchState::InProgress => "in progress".to_string(),
                BranchState::Done if b.verified => "verified".to_string(),
                BranchState::Done => "applied (no verify command)".to_string(),
                BranchState::RolledBack => "rolled back".to_string(),
                BranchState::Blocked => "blocked".to_string(),
            };
            let published = if b.published { ", published" } else { "" };
            out.push_str(&format!("    {} [{}]: {state}{published}", b.branch, b.owner));
            if let Some(reason) = &b.reason {
                out.push_str(&format!(": {reason}"));
            }
            out.push('\n');
            if b.state == BranchState::RolledBack {
                for line in b
                    .log_tail
                    .iter()
                    .flat_map(|t| t.lines())
                    .rev()
                    .take(5)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                {
                    out.push_str(&format!("      | {line}\n"));
                }
            }
        }
    }
    out
}
