//! Rule tests: every rule has fixture cases beside it (`<id-name>/<case>/`), each holding
//! input files, a `changes.yaml` change set, an optional `options.yaml`, and an
//! `expected.snap` snapshot of the diff and findings the rule produces. The rule under test
//! runs alone through the engine's `scan_file`, so merging and validation apply as in a run.

use crate::rule::{DeclarativeRule, RuleOrigin};
use crate::yaml::{self, Value};
use crate::{list, RuleLibrary};
use ripple_core::discover::SourcePath;
use ripple_core::engine::scan_file;
use ripple_core::{
    Catalog, ChangeSet, Dialect, Hosts, InputError, InputErrors, Lang, Options, OutputNames, RuleContext,
    RuleSet,
};
use similar::TextDiff;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A case's change set.
pub const CHANGES: &str = "changes.yaml";
/// A case's run options (`output_names`, `dialect`), when it has some.
pub const OPTIONS: &str = "options.yaml";
/// A case's expected result.
pub const SNAPSHOT: &str = "expected.snap";
const HEADER: &str = "# ripple rule test snapshot: `ripple rules test DIR --update` rewrites it\n";

/// How one fixture case of a rule came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleTestStatus {
    /// The rule produced the expected snapshot.
    Passed,
    /// It did not, or the fixture is unusable.
    Failed,
    /// The snapshot was (re)written by `--update`.
    Updated,
}

/// One fixture case of one rule, after `ripple rules test`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RuleTestCase {
    /// The rule's id.
    pub rule: String,
    /// The case's directory name.
    pub case: String,
    /// How it came out.
    pub status: RuleTestStatus,
    /// For a failure: the expected and actual snapshot as a diff, or what is wrong with the
    /// fixture.
    pub detail: String,
}

/// Runs the fixture cases of every rule in `dir`, or of the built-in rules when `dir` is
/// `None`. With `update`, differing or missing snapshots are written instead of failing.
/// `hosts` read the syntax of the rules' languages.
pub fn run_tests(dir: Option<&Path>, update: bool, hosts: &Hosts) -> Result<Vec<RuleTestCase>, InputErrors> {
    match dir {
        Some(dir) => {
            let lib = RuleLibrary::load_dir_only(dir)?;
            Ok(lib.rules.iter().flat_map(|r| test_rule(r, update, hosts)).collect())
        }
        None => {
            if update {
                let message = "--update rewrites snapshots on disk: name the rules directory (`ripple rules test rules/ --update`)";
                return Err(InputError::file(Path::new("rules"), message).into());
            }
            // Built-in fixtures are embedded; the engine reads files, so they are written out.
            let tmp = TempDir::new()?;
            for (rel, text) in crate::embedded_files() {
                let path = tmp.0.join(rel);
                let written = path
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|_| std::fs::write(&path, text));
                written.map_err(|e| InputError::file(&path, format!("cannot write: {e}")))?;
            }
            let lib = RuleLibrary::load_dir_only(&tmp.0)?;
            Ok(lib.rules.iter().flat_map(|r| test_rule(r, false, hosts)).collect())
        }
    }
}

struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<TempDir, InputError> {
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let path = std::env::temp_dir().join(format!("ripple-rules-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).map_err(|e| InputError::file(&path, format!("cannot create: {e}")))?;
        Ok(TempDir(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The fixture directory of a rule file: `x/` beside `x.yaml`.
fn fixture_dir(rule_file: &Path) -> PathBuf {
    rule_file.with_extension("")
}

fn case_result(rule: &str, case: &str, status: RuleTestStatus, detail: impl Into<String>) -> RuleTestCase {
    RuleTestCase { rule: rule.to_string(), case: case.to_string(), status, detail: detail.into() }
}

fn test_rule(rule: &Arc<DeclarativeRule>, update: bool, hosts: &Hosts) -> Vec<RuleTestCase> {
    let RuleOrigin::File(path) = &rule.origin else { return Vec::new() };
    let dir = fixture_dir(path);
    let cases: Vec<(PathBuf, String)> = list(&dir).into_iter().filter(|(p, _)| p.is_dir()).collect();
    if cases.is_empty() {
        let detail = format!(
            "no fixtures: add a case directory under {} with input files, {CHANGES} and {SNAPSHOT}",
            dir.display()
        );
        return vec![case_result(&rule.id, "(none)", RuleTestStatus::Failed, detail)];
    }
    cases.iter().map(|(case_dir, name)| test_case(rule, case_dir, name, update, hosts)).collect()
}

fn read_options(path: &Path) -> Result<Options, InputError> {
    let mut options = Options::default();
    let Ok(text) = std::fs::read_to_string(path) else { return Ok(options) };
    let Some(root) = yaml::parse(path, &text)? else { return Ok(options) };
    let Value::Map(fields) = &root.value else {
        return Err(InputError::file(path, "expected a mapping of options"));
    };
    for (key, value) in fields {
        let bad = |m: &str| InputError::at(path, value.line, value.column, m);
        match (key.as_str(), value.as_str()) {
            (Some("output_names"), Some("preserve")) => options.output_names = OutputNames::Preserve,
            (Some("output_names"), Some("propagate")) => options.output_names = OutputNames::Propagate,
            (Some("output_names"), _) => return Err(bad("`output_names` is `preserve` or `propagate`")),
            (Some("dialect"), Some(d)) => {
                options.dialect = Dialect::from_name(d).ok_or_else(|| bad("unknown dialect"))?;
            }
            _ => {
                let m = "unknown option; known: output_names, dialect";
                return Err(InputError::at(path, key.line, key.column, m));
            }
        }
    }
    Ok(options)
}

/// Input files of a case, relative to it, sorted.
fn inputs(case_dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
        for (path, name) in list(dir) {
            let r = rel.join(&name);
            if path.is_dir() {
                walk(&path, &r, out);
            } else if Lang::of_path(&path).is_some() {
                out.push(r);
            }
        }
    }
    let mut out = Vec::new();
    walk(case_dir, Path::new(""), &mut out);
    out
}

/// Runs a rule alone on the inputs of one case and renders the snapshot text; the errors
/// are what is wrong with the fixture. `hosts` read the syntax of the rule's language.
pub fn snapshot(
    rule: &Arc<DeclarativeRule>,
    case_dir: &Path,
    case: &str,
    hosts: &Hosts,
) -> Result<String, InputErrors> {
    let changes_path = case_dir.join(CHANGES);
    let text = std::fs::read_to_string(&changes_path)
        .map_err(|e| InputError::file(&changes_path, format!("cannot read: {e}")))?;
    let changes: ChangeSet = ripple_core::changefile::parse_change_file(&changes_path, &text)?;
    let options = read_options(&case_dir.join(OPTIONS))?;
    let mut set = RuleSet::new();
    set.add(Arc::clone(rule) as Arc<dyn ripple_core::Rule>);
    let names = changes.matcher();
    let catalog = Catalog::default();
    let ctx = RuleContext {
        changes: &changes,
        options: &options,
        catalog: &catalog,
        names: &names,
        hosts,
        placed: None,
    };

    let mut edits = Vec::new();
    let mut diffs = String::new();
    let mut findings = Vec::new();
    // Rewritten files, to check that a second run over them changes nothing.
    let mut rerun = Vec::new();
    let files = inputs(case_dir);
    if files.is_empty() {
        return Err(InputError::file(case_dir, "no input files (.py, .java, .sql) in this case").into());
    }
    for rel in files {
        let Some(lang) = Lang::of_path(&rel) else { continue };
        let shown = rel.to_string_lossy().replace('\\', "/");
        let source = SourcePath { path: case_dir.join(&rel), relative: rel.clone(), lang };
        let result = scan_file(&set, &ctx, &source);
        for f in result.findings {
            let sev = format!("{:?}", f.severity).to_lowercase();
            findings.push(format!("  {shown}:{}:{} {sev} [{}]: {}", f.line, f.column, f.rule, f.message));
        }
        if let Some(plan) = result.plan {
            rerun.push((rel.clone(), lang, plan.rewritten.clone()));
            for e in &plan.edits {
                let conf = format!("{:?}", e.confidence).to_lowercase();
                edits.push(format!(
                    "  {shown}:{}:{} {conf} {:?} -> {:?}",
                    e.line, e.column, e.before, e.after
                ));
            }
            diffs.push_str(&plan.diff);
        }
    }
    if !rerun.is_empty() {
        let tmp = TempDir::new()?;
        for (rel, lang, text) in rerun {
            let path = tmp.0.join(&rel);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| InputError::file(dir, e.to_string()))?;
            }
            std::fs::write(&path, &text).map_err(|e| InputError::file(&path, e.to_string()))?;
            let again = scan_file(&set, &ctx, &SourcePath { path, relative: rel.clone(), lang });
            if let Some(plan) = again.plan {
                let message = format!(
                    "a second run over the rewritten file still edits it (the rule is not idempotent):\n{}",
                    plan.diff
                );
                return Err(InputError::file(&rel, message).into());
            }
        }
    }
    let mut out = format!("{HEADER}rule: {}\ncase: {case}\n", rule.id);
    let section = |title: &str, lines: &[String]| {
        if lines.is_empty() {
            format!("{title}: none\n")
        } else {
            format!("{title}:\n{}\n", lines.join("\n"))
        }
    };
    out.push_str(&section("edits", &edits));
    if !diffs.is_empty() {
        out.push_str("diff:\n");
        out.push_str(&diffs);
        if !diffs.ends_with('\n') {
            out.push('\n');
        }
    }
    out.push_str(&section("findings", &findings));
    Ok(out)
}

fn normalize(s: &str) -> String {
    let s = s.replace("\r\n", "\n");
    format!("{}\n", s.trim_end())
}

fn test_case(
    rule: &Arc<DeclarativeRule>,
    case_dir: &Path,
    case: &str,
    update: bool,
    hosts: &Hosts,
) -> RuleTestCase {
    let actual = match snapshot(rule, case_dir, case, hosts) {
        Ok(a) => a,
        Err(problem) => return case_result(&rule.id, case, RuleTestStatus::Failed, problem.to_string()),
    };
    let snap_path = case_dir.join(SNAPSHOT);
    let expected = std::fs::read_to_string(&snap_path).ok();
    if expected.as_deref().map(normalize) == Some(normalize(&actual)) {
        return case_result(&rule.id, case, RuleTestStatus::Passed, "");
    }
    if update {
        return match std::fs::write(&snap_path, &actual) {
            Ok(()) => {
                case_result(&rule.id, case, RuleTestStatus::Updated, format!("wrote {}", snap_path.display()))
            }
            Err(e) => case_result(
                &rule.id,
                case,
                RuleTestStatus::Failed,
                format!("{}: cannot write: {e}", snap_path.display()),
            ),
        };
    }
    let detail = match expected {
        None => format!(
            "no {} yet; the rule produces:\n{actual}(run `ripple rules test DIR --update` to accept it)",
            snap_path.display()
        ),
        Some(expected) => {
            let (e, a) = (normalize(&expected), normalize(&actual));
            let diff = TextDiff::from_lines(&e, &a);
            let shown = format!("{} (expected)", snap_path.display());
            format!("{}", diff.unified_diff().context_radius(3).header(&shown, "actual"))
        }
    };
    case_result(&rule.id, case, RuleTestStatus::Failed, detail)
}

/// A worked example for `ripple rules explain`: the first fixture case of the rule, with
/// its change set, options, inputs and expected snapshot.
pub fn explain_example(rule: &DeclarativeRule) -> Option<String> {
    let files: Vec<(String, String)> = match &rule.origin {
        RuleOrigin::Builtin(rel) => {
            let prefix = format!("{}/", rel.trim_end_matches(".yaml").trim_end_matches(".yml"));
            crate::embedded_files()
                .iter()
                .filter_map(|(p, t)| p.strip_prefix(&prefix).map(|r| (r.to_string(), t.to_string())))
                .collect()
        }
        RuleOrigin::File(path) => {
            let dir = fixture_dir(path);
            let mut out = Vec::new();
            for (case_dir, case) in list(&dir).into_iter().filter(|(p, _)| p.is_dir()) {
                for (p, name) in list(&case_dir) {
                    if let Ok(t) = std::fs::read_to_string(&p) {
                        out.push((format!("{case}/{name}"), t));
                    }
                }
            }
            out
        }
    };
    // Prefer a case that shows the rule at work: a diff, then a finding, then any.
    let snapshot_of =
        |case: &str| files.iter().find(|(p, _)| *p == format!("{case}/{SNAPSHOT}")).map(|(_, t)| t.as_str());
    let mut cases: Vec<String> =
        files.iter().filter_map(|(p, _)| p.split_once('/').map(|(c, _)| c.to_string())).collect();
    cases.sort();
    cases.dedup();
    let score = |case: &String| match snapshot_of(case) {
        Some(s) if s.contains("\ndiff:\n") => 0,
        Some(s) if !s.contains("findings: none") => 1,
        _ => 2,
    };
    let case = cases.iter().min_by_key(|c| score(c))?.clone();
    let mut out = format!("Example (fixture case `{case}`):\n");
    let mut ordered: Vec<&(String, String)> =
        files.iter().filter(|(p, _)| p.starts_with(&format!("{case}/"))).collect();
    let rank = |p: &str| match p.rsplit('/').next().unwrap_or_default() {
        CHANGES => 0,
        OPTIONS => 1,
        SNAPSHOT => 3,
        _ => 2,
    };
    ordered.sort_by_key(|(p, _)| (rank(p), p.clone()));
    for (p, text) in ordered {
        let name = p.split_once('/').map_or(p.as_str(), |(_, n)| n);
        out.push_str(&format!("\n== {name} ==\n{}", text.trim_end_matches('\n')));
        out.push('\n');
    }
    Some(out)
}
