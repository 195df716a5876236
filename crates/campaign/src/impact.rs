//! `campaign plan`: one engine plan over every repo of the fleet (so they share one catalog
//! and a model defined in one repo resolves where another reads it), split by repo and owner,
//! with the repos that define each changed dataset (its producers).

use crate::fleet::{Fleet, Repo};
use crate::owners::{Owner, OwnerSource, RepoOwners};
use crate::par_map;
use ripple::core::discover::discover;
use ripple::core::{FilePlan, Lang, PlanFinding, Severity, TableMatch, TableName};
use ripple::{ChangeSet, Dialect, InputErrors, Plan, Request, RuleSet};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A changed dataset (a table by the name the change set gives), and who defines and reads it.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// As the change set names it.
    pub name: String,
    /// The changes about it (indexes into the plan's changes, derived ones included).
    pub changes: Vec<usize>,
    /// Repos that define it (indexes into [`FleetPlan::repos`]).
    pub producers: BTreeSet<usize>,
    /// Repos with edits or review findings about it that do not define it.
    pub consumers: BTreeSet<usize>,
}

/// A file with edits, and its owner.
#[derive(Debug, Clone)]
pub struct FileWork {
    /// Relative to the repo.
    pub relative: PathBuf,
    /// Who reviews it.
    pub owner: Owner,
    /// Why that owner.
    pub owner_source: OwnerSource,
    /// The engine's plan for it: the bytes planned against and the rewritten ones.
    pub plan: FilePlan,
}

/// A review finding, and the owner of its file.
#[derive(Debug, Clone)]
pub struct FindingWork {
    /// Relative to the repo.
    pub relative: PathBuf,
    /// Who must act on it.
    pub owner: Owner,
    /// The finding.
    pub finding: PlanFinding,
}

/// One repo's share of the plan.
#[derive(Debug, Clone)]
pub struct RepoPlan {
    /// The repo.
    pub repo: Repo,
    /// Its files with edits, by path.
    pub files: Vec<FileWork>,
    /// Its review findings, by place.
    pub findings: Vec<FindingWork>,
    /// Datasets it defines (indexes into [`FleetPlan::datasets`]).
    pub produces: BTreeSet<usize>,
    /// Other repos whose datasets it reads: they go first.
    pub depends_on: BTreeSet<usize>,
}

impl RepoPlan {
    /// Edits in all its files.
    pub fn edits(&self) -> usize {
        self.files.iter().map(|f| f.plan.edits.len()).sum()
    }
}

/// The fleet's plan.
#[derive(Debug, Clone)]
pub struct FleetPlan {
    /// The engine's plan over every repo; its files are moved into the repos' [`FileWork`].
    pub plan: Plan,
    /// A stable hash of the change file's bytes: a state directory belongs to one change set.
    pub change_set_hash: String,
    /// The change file, as given.
    pub changes_path: PathBuf,
    /// By name.
    pub datasets: Vec<Dataset>,
    /// As the fleet lists them (sorted by name).
    pub repos: Vec<RepoPlan>,
}

/// What `campaign plan` and `campaign run` read.
pub struct Inputs<'a> {
    /// The change file.
    pub changes_path: &'a Path,
    /// Its change set.
    pub changes: ChangeSet,
    /// The rules.
    pub rules: &'a RuleSet,
    /// Engine options.
    pub options: ripple::Options,
    /// `--catalog` DDL.
    pub catalog: ripple::Catalog,
}

/// Plans the change set over the whole fleet.
pub fn plan_fleet(inputs: Inputs<'_>, fleet: &Fleet) -> Result<FleetPlan, InputErrors> {
    let bytes = std::fs::read(inputs.changes_path).unwrap_or_default();
    let change_set_hash = format!("{:016x}", crate::stable_hash(&bytes));
    let roots: Vec<_> = fleet.repos.iter().map(|r| r.path.clone()).collect();
    // Each repo's ripple.toml (exclude, historical, dialects) holds for its own files, as in
    // `ripple plan` over the same checkouts.
    let mut configs = Vec::new();
    for root in &roots {
        configs.extend(ripple::core::Config::at_root(root)?);
    }
    let request = Request {
        changes: inputs.changes,
        roots,
        options: inputs.options,
        catalog: inputs.catalog,
        config: ripple::core::Config::merged(configs),
    };
    let mut plan = if fleet.repos.is_empty() {
        empty_plan(&request)
    } else {
        ripple::plan(inputs.rules, &request, &ripple::NoProgress)?
    };
    for w in &plan.warnings {
        eprintln!("warning: {}", w.message);
    }
    let datasets_of_change = dataset_keys(&plan);
    let mut datasets: Vec<Dataset> = Vec::new();
    for (i, key) in datasets_of_change.iter().enumerate() {
        match datasets.iter_mut().find(|d| d.name.eq_ignore_ascii_case(key)) {
            Some(d) => d.changes.push(i),
            None => datasets.push(Dataset {
                name: key.clone(),
                changes: vec![i],
                producers: BTreeSet::new(),
                consumers: BTreeSet::new(),
            }),
        }
    }
    datasets.sort_by(|a, b| a.name.cmp(&b.name));
    let dataset_of: Vec<Option<usize>> =
        (0..plan.changes.len()).map(|c| datasets.iter().position(|d| d.changes.contains(&c))).collect();
    let tables: Vec<TableName> = datasets.iter().map(|d| TableName::parse(&d.name)).collect();
    let dialect = request.options.dialect;
    let produced = par_map(&fleet.repos, |repo| produced_by(repo, &tables, dialect));

    let mut repos = Vec::new();
    for (repo, produces) in fleet.repos.iter().zip(produced) {
        let owners = RepoOwners::load(&repo.path, repo.owner.as_deref(), &repo.name);
        let root = display(&repo.path);
        // Moved, not copied: a file's bytes before and after are the bulk of a plan.
        let (mine, rest): (Vec<FilePlan>, Vec<FilePlan>) =
            std::mem::take(&mut plan.files).into_iter().partition(|f| f.path == root.join(&f.relative));
        plan.files = rest;
        let files: Vec<FileWork> = mine
            .into_iter()
            .map(|f| {
                let (owner, owner_source) = owners.owner_of(&f.relative);
                FileWork { relative: f.relative.clone(), owner, owner_source, plan: f }
            })
            .collect();
        let findings = plan
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Review)
            .filter_map(|f| {
                let relative = f.path.strip_prefix(&root).ok()?.to_path_buf();
                (owning_root(fleet, &f.path) == Some(root.clone())).then(|| FindingWork {
                    owner: owners.owner_of(&relative).0,
                    relative,
                    finding: f.clone(),
                })
            })
            .collect();
        repos.push(RepoPlan { repo: repo.clone(), files, findings, produces, depends_on: BTreeSet::new() });
    }
    for (r, repo) in repos.iter().enumerate() {
        for d in &repo.produces {
            datasets[*d].producers.insert(r);
        }
    }
    for (r, repo) in repos.iter_mut().enumerate() {
        let edits = repo.files.iter().flat_map(|f| f.plan.edits.iter().map(|e| e.change));
        let findings = repo.findings.iter().filter_map(|f| f.finding.change);
        let read: BTreeSet<usize> =
            edits.chain(findings).filter_map(|c| dataset_of.get(c).copied().flatten()).collect();
        let mut depends_on = BTreeSet::new();
        for d in read {
            if !repo.produces.contains(&d) {
                datasets[d].consumers.insert(r);
                depends_on.extend(datasets[d].producers.iter().copied().filter(|&p| p != r));
            }
        }
        repo.depends_on = depends_on;
    }
    Ok(FleetPlan { plan, change_set_hash, changes_path: inputs.changes_path.to_path_buf(), datasets, repos })
}

fn empty_plan(request: &Request) -> Plan {
    Plan {
        version: ripple::core::plan::PLAN_VERSION,
        changes: request.changes.changes.iter().cloned().map(Into::into).collect(),
        files: Vec::new(),
        moves: Vec::new(),
        findings: Vec::new(),
        warnings: Vec::new(),
        suggested_migration: Vec::new(),
        summary: Default::default(),
    }
}

/// Each change's dataset: its table, or for a derived change the table of the change it
/// follows from.
fn dataset_keys(plan: &Plan) -> Vec<String> {
    (0..plan.changes.len())
        .map(|mut i| {
            while let Some(from) = plan.changes[i].derived_from {
                i = from;
            }
            plan.changes[i].table().to_string()
        })
        .collect()
}

/// The repo root a reported path lies under (the longest, for nested checkouts).
fn owning_root(fleet: &Fleet, path: &Path) -> Option<PathBuf> {
    fleet
        .repos
        .iter()
        .map(|r| display(&r.path))
        .filter(|r| path.starts_with(r))
        .max_by_key(|r| r.as_os_str().len())
}

/// A root as the engine prints it (`./` dropped).
fn display(path: &Path) -> PathBuf {
    path.strip_prefix("./").map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

/// The datasets a repo defines: a `CREATE TABLE`/`CREATE VIEW` in its SQL (DDL and
/// migrations), or a dbt model file of the dataset's name under a `models/` directory.
fn produced_by(repo: &Repo, tables: &[TableName], dialect: Dialect) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    let Ok(found) = discover(std::slice::from_ref(&repo.path)) else { return out };
    for file in found.files.iter().filter(|f| f.lang == Lang::Sql) {
        let in_models = file.relative.components().any(|c| c.as_os_str() == "models");
        let stem = file.relative.file_stem().map(|s| s.to_string_lossy().to_lowercase());
        let mut text: Option<String> = None;
        for (d, table) in tables.iter().enumerate() {
            let name = table.name().value.to_lowercase();
            if in_models && stem.as_deref() == Some(name.as_str()) {
                out.insert(d);
                continue;
            }
            let text = text.get_or_insert_with(|| std::fs::read_to_string(&file.path).unwrap_or_default());
            let lower = text.to_lowercase();
            if !lower.contains("create") || !lower.contains(&name) {
                continue;
            }
            let defines = ripple::sql::catalog::tables_of(text, dialect).iter().any(|t| {
                let parts: Vec<(&str, bool)> =
                    t.name.parts.iter().map(|p| (p.value.as_str(), p.quoted)).collect();
                table.matches_parts(&parts) != TableMatch::No
            });
            if defines {
                out.insert(d);
            }
        }
    }
    out
}

/// The owners of a repo's work, with their edit and review-finding counts, by owner: of the
/// changes `only` (a dataset's), or of every change.
pub fn owner_counts(repo: &RepoPlan, only: Option<&[usize]>) -> BTreeMap<Owner, (usize, usize)> {
    let counted = |change: Option<usize>| only.is_none_or(|o| change.is_some_and(|c| o.contains(&c)));
    let mut counts: BTreeMap<Owner, (usize, usize)> = BTreeMap::new();
    for f in &repo.files {
        let edits = f.plan.edits.iter().filter(|e| counted(Some(e.change))).count();
        if edits > 0 {
            counts.entry(f.owner.clone()).or_default().0 += edits;
        }
    }
    for f in repo.findings.iter().filter(|f| counted(f.finding.change)) {
        counts.entry(f.owner.clone()).or_default().1 += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repo_produces_what_its_ddl_or_dbt_models_define_and_not_look_alikes() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            ("db/schema.sql", "CREATE TABLE analytics.users (id INT, user_name TEXT);\n"),
            ("db/archive.sql", "CREATE TABLE users_archive (id INT);\nSELECT * FROM orders;\n"),
            ("models/orders.sql", "select 1 as id\n"),
            ("models/payments_v2.sql", "select 1 as id\n"),
            ("reports/events.sql", "SELECT * FROM events;\n"),
        ];
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let repo = Repo {
            name: "r".into(),
            path: dir.path().to_path_buf(),
            owner: None,
            verify: None,
            timeout_secs: 1,
        };
        let tables: Vec<TableName> = ["users", "orders", "payments", "events", "archive"]
            .iter()
            .map(|t| TableName::parse(t))
            .collect();
        let produced = produced_by(&repo, &tables, Dialect::default());
        assert_eq!(
            produced.into_iter().collect::<Vec<_>>(),
            [0, 1],
            "users (DDL) and orders (a dbt model) only"
        );
    }
}
