//! `campaign run` and `campaign rollback`: the branches of the fleet plan, made wave by wave,
//! producers first, resumed from the journal, stopped by the canary or the circuit breaker.

use crate::branch::{Context, JournalError, Work};
use crate::impact::{FileWork, FleetPlan};
use crate::journal::{self, Entry, Event, Journal};
use crate::order;
use crate::owners::Owner;
use crate::shard::Shard;
use crate::state::{self, Manifest, PlannedFile, PlannedFinding, PlannedGroup, PlannedRepo, StateDir};
use crate::{par_map, Repo};
use ripple::{InputError, InputErrors};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// One branch per owner group, or one per repo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// `ripple/<campaign>/<owner-slug>`.
    Owner,
    /// `ripple/<campaign>/<repo-slug>`.
    Repo,
}

/// How `campaign run` goes about it.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The state directory.
    pub state: PathBuf,
    /// The campaign's name, the middle of its branch names.
    pub campaign: String,
    /// How edits are grouped into branches.
    pub group_by: GroupBy,
    /// The first wave of consumers holds this many repos and must pass before the rest.
    pub canary: usize,
    /// Stop when a wave's share of failed repos exceeds this.
    pub max_failure_rate: Option<f64>,
    /// Run for each verified branch, with the branch in its environment.
    pub publish: Option<String>,
    /// This runner's share of the fleet.
    pub shard: Option<Shard>,
}

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RunReport {
    /// Branches made (verified or not verify-configured) in this run or an earlier one.
    pub finished: usize,
    /// Branches rolled back.
    pub rolled_back: usize,
    /// Branches not made: a producer failed, or the branch name was taken.
    pub blocked: usize,
    /// Branches not tried because the campaign stopped.
    pub not_run: usize,
    /// Branches this run touched (0 when everything was done already).
    pub touched: usize,
    /// Why the campaign stopped early.
    pub stopped: Option<String>,
}

fn bad_state(state: &Path, message: String) -> InputErrors {
    InputError::file(&state.join(state::MANIFEST), message).into()
}

/// The manifest of what `plan` makes under `options`, with each group's files.
fn manifest<'p>(plan: &'p FleetPlan, options: &RunOptions) -> (Manifest, Vec<(usize, Vec<&'p FileWork>)>) {
    let mut groups = Vec::new();
    let mut files_of = Vec::new();
    let mut repos = Vec::new();
    for (r, rp) in plan.repos.iter().enumerate() {
        let taken = options.shard.is_none_or(|s| s.takes(&rp.repo.name));
        if !taken || (rp.files.is_empty() && rp.findings.is_empty()) {
            continue;
        }
        let mut by_owner: BTreeMap<Owner, Vec<&FileWork>> = BTreeMap::new();
        for f in &rp.files {
            let key = match options.group_by {
                GroupBy::Owner => f.owner.clone(),
                GroupBy::Repo => Owner(vec![rp.repo.name.clone()]),
            };
            by_owner.entry(key).or_default().push(f);
        }
        let mut slugs_used = HashMap::new();
        for (owner, files) in by_owner {
            let label = match options.group_by {
                GroupBy::Owner => owner.label(),
                GroupBy::Repo => joined_owners(&files),
            };
            let mut s = owner.slug();
            let n = slugs_used.entry(s.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                s = format!("{s}-{n}");
            }
            let files_planned = files
                .iter()
                .map(|f| PlannedFile { path: path_text(&f.relative), edits: f.plan.edits.len() })
                .collect();
            let branch = format!("ripple/{}/{s}", options.campaign);
            groups.push(PlannedGroup {
                repo: rp.repo.name.clone(),
                owner: label,
                branch,
                files: files_planned,
            });
            files_of.push((r, files));
        }
        let name = |i: &usize| plan.repos[*i].repo.name.clone();
        repos.push(PlannedRepo {
            name: rp.repo.name.clone(),
            path: rp.repo.path.clone(),
            produces: rp.produces.iter().map(|d| plan.datasets[*d].name.clone()).collect(),
            depends_on: rp.depends_on.iter().map(name).collect(),
            findings: rp
                .findings
                .iter()
                .map(|f| PlannedFinding {
                    owner: f.owner.label(),
                    path: path_text(&f.relative),
                    line: f.finding.line,
                    column: f.finding.column,
                    rule: f.finding.rule.clone(),
                    message: f.finding.message.clone(),
                })
                .collect(),
        });
    }
    let manifest = Manifest {
        campaign: options.campaign.clone(),
        change_set: plan.change_set_hash.clone(),
        changes: path_text(&plan.changes_path),
        shard: options.shard,
        groups,
        repos,
    };
    (manifest, files_of)
}

fn joined_owners(files: &[&FileWork]) -> String {
    let mut owners: Vec<String> = files.iter().map(|f| f.owner.label()).collect();
    owners.sort();
    owners.dedup();
    owners.join(" ")
}

fn path_text(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Runs (or resumes) the campaign.
pub fn run_campaign(plan: &FleetPlan, options: &RunOptions) -> Result<RunReport, InputErrors> {
    let (manifest, files_of) = manifest(plan, options);
    let state = StateDir::create(&options.state)
        .map_err(|e| bad_state(&options.state, format!("cannot create the state directory: {e}")))?;
    if let Some(old) = state::read_manifest(&state.root).map_err(|e| bad_state(&state.root, e))? {
        if old.change_set != manifest.change_set
            || old.campaign != manifest.campaign
            || old.shard != manifest.shard
        {
            return Err(bad_state(
                &state.root,
                format!(
                    "this state directory belongs to campaign `{}` (change set {}, shard {:?}); use another --state",
                    old.campaign, old.change_set, old.shard
                ),
            ));
        }
    }
    let with_groups: Vec<usize> = {
        let mut v: Vec<usize> = files_of.iter().map(|(r, _)| *r).collect();
        v.dedup();
        v
    };
    let waves = order::waves(plan, &with_groups, options.canary).map_err(|cycle| {
        bad_state(&state.root, format!("{cycle} (each reads a dataset the next one defines)"))
    })?;
    let json = serde_json::to_string_pretty(&manifest).expect("a manifest serializes");
    state::write_atomic(&state.root.join(state::MANIFEST), format!("{json}\n").as_bytes())
        .map_err(|e| bad_state(&state.root, format!("cannot write: {e}")))?;
    let journal = Journal::open(&state.root)
        .map_err(|e| bad_state(&state.root, format!("cannot open the journal: {e}")))?;
    let ctx = Context {
        manifest: &manifest,
        changes: plan.plan.changes.iter().map(|c| c.to_string()).collect(),
        state: &state,
        journal: &journal,
        publish: options.publish.as_deref(),
    };
    let fatal = |e: JournalError| InputErrors::from(InputError::file(journal.path(), e.0));
    let mut finals = final_events(&state.root);
    let touched = recover(&ctx, plan, &finals).map_err(fatal)?;

    let mut report = RunReport { touched, ..RunReport::default() };
    let groups_of =
        |r: usize| -> Vec<usize> { (0..files_of.len()).filter(|&g| files_of[g].0 == r).collect() };
    for (w, wave) in waves.iter().enumerate() {
        if report.stopped.is_some() {
            report.not_run += wave.repos.iter().map(|&r| groups_of(r).len()).sum::<usize>();
            continue;
        }
        let results = par_map(&wave.repos, |&r| -> Result<Vec<(usize, Event, bool)>, JournalError> {
            let rp = &plan.repos[r];
            let mut out = Vec::new();
            let blocker = rp.depends_on.iter().find(|&&p| {
                (0..files_of.len()).any(|g| {
                    files_of[g].0 == p
                        && matches!(
                            finals.get(&key(&manifest.groups[g])),
                            Some(Event::RolledBack | Event::Blocked)
                        )
                })
            });
            for g in groups_of(r) {
                let group = &manifest.groups[g];
                if let Some(done) = finals.get(&key(group)) {
                    out.push((g, *done, false));
                    continue;
                }
                if let Some(&p) = blocker {
                    let mut e = Entry::new(&manifest.change_set, &group.repo, &group.branch, Event::Blocked);
                    e.reason = Some(format!("producer {} did not verify", plan.repos[p].repo.name));
                    journal.append(&e).map_err(|e| JournalError(e.to_string()))?;
                    out.push((g, Event::Blocked, true));
                    continue;
                }
                let findings = manifest
                    .repos
                    .iter()
                    .filter(|pr| pr.name == group.repo)
                    .flat_map(|pr| pr.findings.iter())
                    .filter(|f| options.group_by == GroupBy::Repo || f.owner == group.owner)
                    .collect();
                let work = Work { repo: &rp.repo, group, files: files_of[g].1.clone(), findings };
                let event = ctx.make(&work)?;
                eprintln!("{}: {} {}", group.repo, group.branch, describe_event(event));
                out.push((g, event, true));
            }
            write_repo_result(&state, &manifest, &rp.repo, &out);
            Ok(out)
        });
        let mut failed_repos = 0;
        for result in results {
            let result = result.map_err(fatal)?;
            failed_repos += usize::from(result.iter().any(|(_, e, _)| *e == Event::RolledBack));
            for (g, event, touched) in result {
                finals.insert(key(&manifest.groups[g]), event);
                report.touched += usize::from(touched);
            }
        }
        let share = failed_repos as f64 / wave.repos.len().max(1) as f64;
        let canary = wave.label.starts_with("canary");
        let limit = options.max_failure_rate.unwrap_or(if canary { 0.0 } else { 1.0 });
        if share > limit && w + 1 < waves.len() {
            let what = if canary { "the canary wave failed" } else { "circuit breaker" };
            report.stopped = Some(format!(
                "{what}: {failed_repos} of {} repos of wave `{}` failed (more than {:.0}%); later waves not run",
                wave.repos.len(),
                wave.label,
                limit * 100.0
            ));
        }
    }
    for event in finals.values() {
        match event {
            Event::Finished => report.finished += 1,
            Event::RolledBack => report.rolled_back += 1,
            Event::Blocked => report.blocked += 1,
            _ => {}
        }
    }
    Ok(report)
}

fn key(group: &PlannedGroup) -> (String, String) {
    (group.repo.clone(), group.branch.clone())
}

fn describe_event(event: Event) -> &'static str {
    match event {
        Event::Finished => "made",
        Event::RolledBack => "failed and rolled back",
        Event::Blocked => "blocked",
        _ => "interrupted",
    }
}

/// The final event of every branch the journal has one for.
fn final_events(state: &Path) -> HashMap<(String, String), Event> {
    let entries = journal::read(state);
    journal::by_branch(&entries)
        .into_iter()
        .filter_map(|(k, es)| es.last().map(|e| e.outcome).filter(|o| o.is_final()).map(|o| (k, o)))
        .collect()
}

/// A branch a killed run started and did not finish is deleted with its worktree, so it is
/// made again from scratch: no half-made branch or stale worktree survives a crash.
fn recover(
    ctx: &Context,
    plan: &FleetPlan,
    finals: &HashMap<(String, String), Event>,
) -> Result<usize, JournalError> {
    let entries = journal::read(&ctx.state.root);
    let mut cleaned = 0;
    for ((repo, branch), es) in journal::by_branch(&entries) {
        if finals.contains_key(&(repo.clone(), branch.clone()))
            || !es.iter().any(|e| e.outcome == Event::Started)
        {
            continue;
        }
        let Some(rp) = plan.repos.iter().find(|r| r.repo.name == repo) else { continue };
        ctx.clean(&rp.repo, &branch);
        let mut e = Entry::new(&ctx.manifest.change_set, &repo, &branch, Event::Abandoned);
        e.reason =
            Some("interrupted before it finished: branch and worktree deleted, made again".to_string());
        ctx.journal.append(&e).map_err(|e| JournalError(e.to_string()))?;
        cleaned += 1;
    }
    Ok(cleaned)
}

fn write_repo_result(state: &StateDir, manifest: &Manifest, repo: &Repo, results: &[(usize, Event, bool)]) {
    let branches: Vec<serde_json::Value> = results
        .iter()
        .map(|(g, e, _)| {
            let g = &manifest.groups[*g];
            serde_json::json!({ "branch": g.branch, "owner": g.owner, "outcome": e })
        })
        .collect();
    let value =
        serde_json::json!({ "repo": repo.name, "change_set": manifest.change_set, "branches": branches });
    let text = serde_json::to_string_pretty(&value).expect("json") + "\n";
    let _ = state::write_atomic(&state.repo_result(&repo.name), text.as_bytes());
}

/// `campaign rollback`: deletes every branch and worktree the campaign made (of `repo` only,
/// when given), and nothing else; journals each. The number of branches deleted.
pub fn rollback(state_dir: &Path, repo: Option<&str>) -> Result<usize, InputErrors> {
    let manifest = state::read_manifest(state_dir)
        .map_err(|e| bad_state(state_dir, e))?
        .ok_or_else(|| bad_state(state_dir, "no campaign here: campaign.json is missing".to_string()))?;
    if let Some(r) = repo {
        if !manifest.repos.iter().any(|p| p.name == r) {
            let known: Vec<&str> = manifest.repos.iter().map(|p| p.name.as_str()).collect();
            return Err(bad_state(
                state_dir,
                format!("no repo `{r}` in this campaign (it has {})", known.join(", ")),
            ));
        }
    }
    let state = StateDir::create(state_dir).map_err(|e| bad_state(state_dir, e.to_string()))?;
    let journal = Journal::open(&state.root).map_err(|e| bad_state(state_dir, e.to_string()))?;
    let entries = journal::read(&state.root);
    let ctx =
        Context { manifest: &manifest, changes: Vec::new(), state: &state, journal: &journal, publish: None };
    let mut deleted = 0;
    for ((name, branch), es) in journal::by_branch(&entries) {
        let made = es.iter().any(|e| e.outcome == Event::Started);
        let gone = es.last().is_some_and(|e| e.outcome == Event::RolledBack);
        if !made || gone || repo.is_some_and(|r| r != name) {
            continue;
        }
        let Some(pr) = manifest.repos.iter().find(|p| p.name == name) else { continue };
        let repo =
            Repo { name: name.clone(), path: pr.path.clone(), owner: None, verify: None, timeout_secs: 0 };
        ctx.clean(&repo, &branch);
        let mut e = Entry::new(&manifest.change_set, &name, &branch, Event::RolledBack);
        e.reason = Some("campaign rollback".to_string());
        journal.append(&e).map_err(|e| bad_state(state_dir, e.to_string()))?;
        deleted += 1;
    }
    Ok(deleted)
}
