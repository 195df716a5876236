//! A later stage's additions to a computed plan (the dbt stage renames datasets across a
//! project): edits of files, merged with the edits the rules made, and file moves. Each
//! file's bytes, diff and counts are redone, so the plan reads as if the rules had made them.

use crate::diff::unified_diff;
use crate::edit::Edit;
use crate::lang::Lang;
use crate::plan::{content_hash, FileMove, FilePlan, Plan, PlanEdit};
use crate::position::LineIndex;
use crate::source::FileStat;
use std::path::{Path, PathBuf};

/// A file to edit or move, as the plan names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanPath {
    /// As found under the PATH argument.
    pub path: PathBuf,
    /// Relative to the PATH argument (what diffs name).
    pub relative: PathBuf,
}

impl PlanPath {
    /// `path`, under the first of `roots` that holds it (itself when none does).
    pub fn under(roots: &[PathBuf], path: &Path) -> PlanPath {
        let relative = roots
            .iter()
            .find_map(|r| path.strip_prefix(r).ok().filter(|rel| !rel.as_os_str().is_empty()))
            .unwrap_or(path);
        PlanPath { path: path.to_path_buf(), relative: relative.to_path_buf() }
    }
}

impl Plan {
    /// Adds `edits` (offsets in the file's bytes, a BOM included) to the file at `file`,
    /// beside the edits it has; an edit that overlaps one of them, or a file that cannot be
    /// read as UTF-8, is an error and nothing is added.
    pub fn add_edits(&mut self, file: &PlanPath, language: Lang, edits: Vec<Edit>) -> Result<(), String> {
        if edits.is_empty() {
            return Ok(());
        }
        let at = self.files.iter().position(|f| f.path == file.path);
        let (original, stat, mut planned) = match at {
            Some(i) => {
                let f = &self.files[i];
                (f.original.clone(), f.stat, f.edits.clone())
            }
            None => {
                let bytes = std::fs::read(&file.path).map_err(|e| format!("cannot read: {e}"))?;
                let stat = FileStat { len: bytes.len() as u64 };
                (bytes, stat, Vec::new())
            }
        };
        let text = std::str::from_utf8(&original).map_err(|_| "not UTF-8".to_string())?;
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let index = LineIndex::new(&text[bom..]);
        for e in edits {
            let clash = planned.iter().any(|p| {
                let p = Edit { start: p.start, end: p.end, ..e.clone() };
                p.overlaps(&e)
            });
            let before = text.get(e.start..e.end).ok_or("an edit is out of the file")?;
            if clash || e.start < bom {
                return Err(format!("an edit at byte {} overlaps another", e.start));
            }
            let (line, column) = index.line_col(e.start - bom);
            planned.push(PlanEdit {
                start: e.start,
                end: e.end,
                line,
                column,
                before: before.to_string(),
                after: e.replacement,
                rule: e.rule,
                change: e.change,
                confidence: e.confidence,
            });
        }
        planned.sort_by_key(|e| (e.start, e.end));
        let plan = FilePlan {
            path: file.path.clone(),
            relative: file.relative.clone(),
            language,
            edits: planned,
            diff: String::new(),
            sha256: content_hash(&original),
            original,
            rewritten: Vec::new(),
            stat,
        };
        match at {
            Some(i) => self.files[i] = plan,
            None => {
                self.files.push(plan);
                self.files.sort_by(|a, b| a.path.cmp(&b.path));
            }
        }
        self.redo(&file.path);
        Ok(())
    }

    /// Moves the file `from` to `to` (after its edits, if it has some).
    pub fn add_move(&mut self, from: &PlanPath, to: &PlanPath) -> Result<(), String> {
        if self.moves.iter().any(|m| m.from == from.path || m.to == to.path) {
            return Err(format!("{} is moved twice", from.path.display()));
        }
        let bytes = match self.files.iter().find(|f| f.path == from.path) {
            Some(f) => f.rewritten.clone(),
            None => std::fs::read(&from.path).map_err(|e| format!("cannot read: {e}"))?,
        };
        self.moves.push(FileMove {
            from: from.path.clone(),
            to: to.path.clone(),
            sha256: content_hash(&bytes),
        });
        self.redo(&from.path);
        Ok(())
    }

    /// Takes the edits of the file at `path` that `take` picks out of the plan and returns
    /// them; a file left with no edit and no move leaves the plan.
    pub fn take_edits(&mut self, path: &Path, take: impl Fn(&PlanEdit) -> bool) -> Vec<PlanEdit> {
        let Some(i) = self.files.iter().position(|f| f.path == path) else { return Vec::new() };
        let (taken, kept) = std::mem::take(&mut self.files[i].edits).into_iter().partition(|e| take(e));
        self.files[i].edits = kept;
        if self.files[i].edits.is_empty() && !self.moves.iter().any(|m| m.from == path) {
            self.files.remove(i);
            self.summary.files_changed = self.files.len();
            self.summary.edits = self.files.iter().map(|f| f.edits.len()).sum();
        } else {
            self.redo(path);
        }
        taken
    }

    /// The rewritten bytes, diff and counts of the file at `path` after its edits or move
    /// changed.
    fn redo(&mut self, path: &Path) {
        let to = self.moves.iter().find(|m| m.from == path).map(|m| m.to.clone());
        if let Some(f) = self.files.iter_mut().find(|f| f.path == path) {
            let mut rewritten = Vec::with_capacity(f.original.len());
            let mut at = 0;
            for e in &f.edits {
                rewritten.extend_from_slice(&f.original[at..e.start]);
                rewritten.extend_from_slice(e.after.as_bytes());
                at = e.end;
            }
            rewritten.extend_from_slice(&f.original[at..]);
            let old_name = slashed(&f.relative);
            let new_name =
                to.as_deref().map_or_else(|| old_name.clone(), |to| renamed(&f.relative, path, to));
            let old = String::from_utf8_lossy(&f.original);
            let new = String::from_utf8_lossy(&rewritten);
            f.diff = moved_diff(&old_name, &new_name, &old, &new);
            f.rewritten = rewritten;
            if let Some(m) = self.moves.iter_mut().find(|m| m.from == path) {
                m.sha256 = content_hash(&f.rewritten);
            }
        }
        self.summary.files_changed = self.files.len();
        self.summary.edits = self.files.iter().map(|f| f.edits.len()).sum();
    }
}

/// The relative name of `to`, for a file whose relative name is `relative` at `from`.
fn renamed(relative: &Path, from: &Path, to: &Path) -> String {
    // The move stays under the same PATH argument: the part of `from` above `relative`.
    let depth = relative.components().count();
    let base: PathBuf = from.components().take(from.components().count().saturating_sub(depth)).collect();
    slashed(to.strip_prefix(&base).unwrap_or(to))
}

fn slashed(p: &Path) -> String {
    p.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/")
}

/// A unified diff from `old_name` to `new_name`.
fn moved_diff(old_name: &str, new_name: &str, old: &str, new: &str) -> String {
    let diff = unified_diff(old_name, old, new);
    if old_name == new_name {
        return diff;
    }
    diff.replacen(&format!("+++ b/{old_name}\n"), &format!("+++ b/{new_name}\n"), 1)
}

/// How alike a moved file's two versions are, as git's `similarity index` says it: the
/// share of the old bytes kept, in percent.
pub fn similarity(old: &[u8], new: &[u8]) -> u32 {
    if old.is_empty() && new.is_empty() {
        return 100;
    }
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix =
        old[prefix..].iter().rev().zip(new[prefix..].iter().rev()).take_while(|(a, b)| a == b).count();
    let kept = prefix + suffix;
    (kept * 100 / old.len().max(new.len())) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::Confidence;

    fn edit(start: usize, end: usize, to: &str) -> Edit {
        Edit {
            start,
            end,
            replacement: to.into(),
            rule: "r".into(),
            change: 0,
            confidence: Confidence::Certain,
        }
    }

    fn empty() -> Plan {
        Plan::from_json(Path::new("p.json"), r#"{"version":1,"changes":[],"files":[],"findings":[],"summary":{"files_scanned":0,"files_parsed":0,"files_changed":0,"edits":0,"findings":0,"elapsed_ms":0,"files_skipped":0,"bytes_scanned":0}}"#).unwrap()
    }

    #[test]
    fn edits_merge_and_a_move_renames_the_diff() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        std::fs::create_dir(root.join("m")).unwrap();
        std::fs::write(root.join("m/a.sql"), "select 1\nfrom x\n").unwrap();
        let a = PlanPath::under(std::slice::from_ref(&root), &root.join("m/a.sql"));
        let b = PlanPath::under(std::slice::from_ref(&root), &root.join("m/b.sql"));
        assert_eq!(a.relative, Path::new("m/a.sql"));
        let mut plan = empty();
        plan.add_edits(&a, Lang::Sql, vec![edit(14, 15, "y")]).unwrap();
        plan.add_edits(&a, Lang::Sql, vec![edit(7, 8, "2")]).unwrap();
        assert!(plan.add_edits(&a, Lang::Sql, vec![edit(14, 15, "z")]).is_err());
        plan.add_move(&a, &b).unwrap();
        let f = &plan.files[0];
        assert_eq!(f.rewritten, b"select 2\nfrom y\n");
        assert_eq!((f.edits[0].line, f.edits[0].column, f.edits[1].line), (1, 8, 2));
        assert!(f.diff.starts_with("--- a/m/a.sql\n+++ b/m/b.sql\n@@"), "{}", f.diff);
        assert_eq!(plan.moves[0].sha256, content_hash(b"select 2\nfrom y\n"));
        assert_eq!((plan.summary.files_changed, plan.summary.edits), (1, 2));
        assert!(plan.add_move(&a, &b).is_err());
    }

    #[test]
    fn similarity_counts_kept_bytes() {
        assert_eq!(similarity(b"abcd", b"abcd"), 100);
        assert_eq!(similarity(b"abcd", b"abXd"), 75);
        assert_eq!(similarity(b"", b""), 100);
    }
}
