//! A plan never leaves a dbt project that dbt cannot compile: each project the plan edits is
//! read again with the plan's rewrites in place of its files (and its moved files at their
//! new paths) and checked; a problem it did not have before withdraws every edit and move of
//! the plan in that project, with a finding per new problem, located in the file as it is on
//! disk.

use super::{check, load_moved_project, read_disk, same_path, Problem, Project};
use crate::ids::DBT_INTEGRITY;
use ripple_core::plan::{FilePlan, Plan, PlanFinding};
use ripple_core::Severity;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Withdraws the plan's edits of every dbt project of `projects` that they would break;
/// `known` are problems already found, by project root.
pub(crate) fn guard(plan: &mut Plan, projects: &[Project], known: Vec<(PathBuf, Problem)>) {
    if plan.files.is_empty() && plan.moves.is_empty() {
        return;
    }
    let rewritten: HashMap<PathBuf, String> = plan
        .files
        .iter()
        .map(|f| (plain(&f.path), String::from_utf8_lossy(without_bom(&f.rewritten)).into_owned()))
        .collect();
    let moves: Vec<(PathBuf, PathBuf)> = plan.moves.iter().map(|m| (m.from.clone(), m.to.clone())).collect();
    let planned = |p: &Path| rewritten.get(&plain(p)).cloned().or_else(|| read_disk(p));
    let read = |p: &Path| match moves.iter().find(|(from, to)| same_path(from, p) || same_path(to, p)) {
        Some((from, to)) if same_path(to, p) => planned(from),
        Some(_) => None,
        None => planned(p),
    };
    for project in projects {
        let moved = plan.moves.iter().any(|m| under(&m.from, &project.root));
        if !moved && !plan.files.iter().any(|f| under(&f.path, &project.root)) {
            continue;
        }
        let after = load_moved_project(&project.root, &read, true, &moves);
        let mut new = new_problems(&check(project), &check(&after));
        new.extend(known.iter().filter(|(root, _)| *root == project.root).map(|(_, p)| p.clone()));
        if !new.is_empty() {
            withdraw(plan, project, &new);
        }
    }
}

/// A path without `.` components: the plan names `./a` as `a`.
fn plain(path: &Path) -> PathBuf {
    path.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect()
}

fn under(path: &Path, root: &Path) -> bool {
    plain(path).starts_with(plain(root))
}

fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)
}

/// The problems of `after` that `before` does not have as often.
fn new_problems(before: &[Problem], after: &[Problem]) -> Vec<Problem> {
    let mut seen: HashMap<(super::ProblemKind, &str), usize> = HashMap::new();
    for p in before {
        *seen.entry((p.kind, p.message.as_str())).or_default() += 1;
    }
    after
        .iter()
        .filter(|p| match seen.get_mut(&(p.kind, p.message.as_str())) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .cloned()
        .collect()
}

fn withdraw(plan: &mut Plan, project: &Project, problems: &[Problem]) {
    let (gone, kept): (Vec<FilePlan>, Vec<FilePlan>) =
        std::mem::take(&mut plan.files).into_iter().partition(|f| under(&f.path, &project.root));
    plan.files = kept;
    plan.moves.retain(|m| !under(&m.from, &project.root));
    let edits: usize = gone.iter().map(|f| f.edits.len()).sum();
    for p in problems {
        // A problem of a whole file (line 0) stays one, whatever the file's edits.
        let (line, column) = match p.at.line {
            0 => (0, 0),
            _ => original_position(&gone, &p.at.path, p.at.start).unwrap_or((p.at.line, p.at.column)),
        };
        plan.findings.push(PlanFinding {
            path: gone
                .iter()
                .find(|f| plain(&f.path) == plain(&p.at.path))
                .map_or_else(|| p.at.path.clone(), |f| f.path.clone()),
            line,
            column,
            rule: DBT_INTEGRITY.id.to_string(),
            change: None,
            severity: Severity::Review,
            reason: DBT_INTEGRITY.reason,
            message: format!(
                "{} after this plan; its {edits} edits in project {} are withdrawn",
                p.message, project.name
            ),
        });
    }
    plan.findings.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    plan.summary.files_changed = plan.files.len();
    plan.summary.edits = plan.files.iter().map(|f| f.edits.len()).sum();
    plan.summary.findings = plan.findings.len();
}

/// Where an offset of a rewritten file (after any BOM) was in the original, as line and
/// column; an offset inside an edit is the edit's start.
fn original_position(files: &[FilePlan], path: &Path, offset: usize) -> Option<(usize, usize)> {
    let file = files.iter().find(|f| plain(&f.path) == plain(path))?;
    let bom = file.original.len() - without_bom(&file.original).len();
    let at = (offset + bom) as isize;
    // How much longer the rewrite is than the original before `at`.
    let mut shift = 0isize;
    let mut start = None;
    for e in &file.edits {
        let after_start = e.start as isize + shift;
        let after_end = after_start + e.after.len() as isize;
        if after_end <= at {
            shift += e.after.len() as isize - (e.end - e.start) as isize;
        } else {
            if after_start <= at {
                start = Some(e.start as isize);
            }
            break;
        }
    }
    let original = String::from_utf8_lossy(&file.original[bom..]).into_owned();
    let start = (start.unwrap_or(at - shift) - bom as isize).clamp(0, original.len() as isize) as usize;
    let l = super::Located::new(path, &original, start, start);
    Some((l.line, l.column))
}
