//! The lexical shortcut changes nothing: over every fixture (the end-to-end fixtures and the
//! rule files' test cases), the plan with files whose mentions all stand in comments or
//! docstrings reported from a lexical pass equals the plan with every relevant file parsed.

use ripple::core::engine::{FileResult, FileStatus};
use ripple::{NoProgress, Plan, Progress, Request, RuleSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The files a run reported from the lexical pass, by the paths of their findings.
#[derive(Default)]
struct Lexed(Mutex<Vec<PathBuf>>);

impl Progress for Lexed {
    fn file_done(&self, result: &FileResult) {
        if result.status == FileStatus::Lexed {
            let mut lexed = self.0.lock().unwrap();
            lexed.extend(result.findings.iter().map(|f| f.path.clone()));
            lexed.dedup();
        }
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every change file of the fixtures, with the tree it is planned over.
fn cases() -> Vec<(PathBuf, PathBuf)> {
    let mut cases = Vec::new();
    let mut stack = vec![repo().join("fixtures"), repo().join("rules")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n == "changes.yaml") {
                cases.push((path.clone(), dir.clone()));
            } else if dir.file_name().is_some_and(|n| n == "changes")
                && path.extension().is_some_and(|e| e == "yaml")
            {
                cases.push((path.clone(), dir.parent().unwrap().to_path_buf()));
            }
        }
    }
    cases.sort();
    cases
}

fn plan(rules: &RuleSet, changes: &Path, root: &Path, progress: &dyn Progress) -> Option<Plan> {
    let text = std::fs::read_to_string(changes).unwrap();
    let loaded = ripple::parse_changes(changes, &text, Default::default()).ok()?;
    let config = match root.join("ripple.toml") {
        toml if toml.exists() => ripple::core::Config::load(&toml).unwrap(),
        _ => Default::default(),
    };
    let request = Request::new(loaded.changes, vec![root.to_path_buf()]).with_config(config);
    let mut plan = ripple::plan(rules, &request, progress).unwrap();
    plan.summary.elapsed_ms = 0;
    Some(plan)
}

#[test]
fn every_fixture_plans_the_same_with_and_without_the_shortcut() {
    let (shortcut, parsing) = (ripple::default_rules(), ripple::default_rules().always_parsing());
    let lexed = Lexed::default();
    let mut planned = 0;
    for (changes, root) in cases() {
        let Some(fast) = plan(&shortcut, &changes, &root, &lexed) else { continue };
        let slow = plan(&parsing, &changes, &root, &NoProgress).unwrap();
        assert_eq!(format!("{fast:#?}"), format!("{slow:#?}"), "{}", changes.display());
        planned += 1;
    }
    assert!(planned > 100, "{planned} change sets planned");
    let lexed = lexed.0.into_inner().unwrap();
    assert!(lexed.len() >= 6, "the shortcut was taken for {} files: {lexed:?}", lexed.len());
}

/// Which files of the prose fixture take the shortcut: those that name a change only in
/// comments and docstrings, not their look-alikes.
#[test]
fn only_prose_files_skip_the_parse() {
    let root = repo().join("fixtures/prose");
    let lexed = Lexed::default();
    plan(&ripple::default_rules(), &root.join("changes.yaml"), &root, &lexed).unwrap();
    let mut names: Vec<String> = lexed
        .0
        .into_inner()
        .unwrap()
        .iter()
        .map(|p| p.strip_prefix(&root).unwrap().display().to_string())
        .collect();
    names.sort();
    names.dedup();
    assert_eq!(
        names,
        ["documented.py", "migrations/0002_auto.py", "notebook.py", "src/Documented.java", "suppressed.py"]
    );
}
