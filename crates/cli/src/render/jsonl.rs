//! `--format jsonl`: the plan as JSON lines, written as the run goes, for programs that act
//! on a large plan file by file. Each line is one object. A `file` object (its edits, its
//! diff and its findings, as in the JSON plan) is written and flushed as soon as the engine
//! finishes the file, so files come in the order they finish, not by path. After the run, a
//! file whose object a later stage changed (a migration the repo needs, a dbt project's
//! edits withdrawn, findings a baseline hides) or that only those stages name gets another
//! `file` object, by path: the last object of a path is what the plan holds. Then one
//! `summary` object with the changes, the warnings and the counts. A file the plan moves
//! (a dbt model or seed renamed) carries `moved_to`.

use ripple::core::engine::FileResult;
use ripple::core::{FileMove, FilePlan, Lang, PlanChange, PlanEdit, PlanFinding, Summary, Warning};
use ripple::{Plan, Progress};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::sync::Mutex;

/// One file's line.
#[derive(Serialize)]
struct FileLine<'a> {
    r#type: &'static str,
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<Lang>,
    edits: &'a [PlanEdit],
    #[serde(skip_serializing_if = "str::is_empty")]
    diff: &'a str,
    findings: Vec<&'a PlanFinding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    moved_to: Option<String>,
}

/// The last line.
#[derive(Serialize)]
struct SummaryLine<'a> {
    r#type: &'static str,
    version: u32,
    changes: &'a [PlanChange],
    summary: &'a Summary,
    review_findings: usize,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    warnings: &'a [Warning],
}

/// The lines of a run, written to `out` as they are ready.
pub struct Stream<W> {
    state: Mutex<State<W>>,
}

struct State<W> {
    out: W,
    /// The line last written for each path, to write again only what changed.
    sent: HashMap<String, String>,
}

impl<W: Write> State<W> {
    /// Writes and flushes one line; a closed pipe (`ripple plan | head`) is not an error.
    fn write(&mut self, path: String, line: String) {
        let _ = self.out.write_all(line.as_bytes()).and_then(|_| self.out.flush());
        self.sent.insert(path, line);
    }
}

impl<W: Write + Send> Stream<W> {
    /// A stream that writes to `out`.
    pub fn new(out: W) -> Self {
        Stream { state: Mutex::new(State { out, sent: HashMap::new() }) }
    }

    /// Writes the lines of a file the engine has finished.
    pub fn file(&self, result: &FileResult) {
        let lines = lines_by_path(result.plan.iter(), result.findings.iter(), &[]);
        let mut state = self.state.lock().expect("jsonl stream lock");
        for (path, line) in lines {
            state.write(path, line);
        }
    }

    /// After the run: the line of every file whose object the finished `plan` changed (an
    /// empty one for a file it no longer names), by path, then the summary; returns `out`.
    pub fn finish(self, plan: &Plan) -> W {
        let mut state = self.state.into_inner().expect("jsonl stream lock");
        let lines = lines_by_path(plan.files.iter(), plan.findings.iter(), &plan.moves);
        let mut gone: Vec<String> = state.sent.keys().filter(|p| !lines.contains_key(*p)).cloned().collect();
        gone.sort();
        for path in gone {
            let line = file_line(&path, None, Vec::new(), None);
            state.write(path, line);
        }
        for (path, line) in lines {
            if state.sent.get(&path) != Some(&line) {
                state.write(path, line);
            }
        }
        let summary = SummaryLine {
            r#type: "summary",
            version: plan.version,
            changes: &plan.changes,
            summary: &plan.summary,
            review_findings: plan.review_findings(),
            warnings: &plan.warnings,
        };
        state.write(String::new(), to_line(&summary));
        state.out
    }
}

/// The progress bar, and each file's line written as the engine finishes the file.
pub struct Streaming<'a, W> {
    /// Told of the stages as before.
    pub bar: &'a dyn Progress,
    /// Where the lines go.
    pub stream: &'a Stream<W>,
}

impl<W: Write + Send> Progress for Streaming<'_, W> {
    fn stage(&self, name: &'static str) {
        self.bar.stage(name);
    }
    fn start(&self, files: usize) {
        self.bar.start(files);
    }
    fn advance(&self) {
        self.bar.advance();
    }
    fn finish(&self) {
        self.bar.finish();
    }
    fn file_done(&self, result: &FileResult) {
        self.stream.file(result);
    }
}

/// The line of each path that `files` or `findings` name, by path; findings in the order
/// of the plan's, so that a file the later stages left alone has the same line twice.
fn lines_by_path<'a>(
    files: impl Iterator<Item = &'a FilePlan>,
    findings: impl Iterator<Item = &'a PlanFinding>,
    moves: &[FileMove],
) -> BTreeMap<String, String> {
    let mut by_path: BTreeMap<String, (Option<&FilePlan>, Vec<&PlanFinding>)> = BTreeMap::new();
    for f in files {
        by_path.entry(slash(&f.path)).or_default().0 = Some(f);
    }
    for f in findings {
        by_path.entry(slash(&f.path)).or_default().1.push(f);
    }
    for m in moves {
        by_path.entry(slash(&m.from)).or_default();
    }
    by_path
        .into_iter()
        .map(|(path, (file, mut findings))| {
            findings.sort_by(|a, b| (a.line, a.column, &a.rule).cmp(&(b.line, b.column, &b.rule)));
            let moved_to = moves.iter().find(|m| slash(&m.from) == path).map(|m| slash(&m.to));
            let line = file_line(&path, file, findings, moved_to);
            (path, line)
        })
        .collect()
}

fn file_line(
    path: &str,
    file: Option<&FilePlan>,
    findings: Vec<&PlanFinding>,
    moved_to: Option<String>,
) -> String {
    to_line(&FileLine {
        r#type: "file",
        path,
        language: file.map(|f| f.language),
        edits: file.map_or(&[], |f| &f.edits),
        diff: file.map_or("", |f| &f.diff),
        findings,
        moved_to,
    })
}

fn to_line(value: &impl Serialize) -> String {
    serde_json::to_string(value).expect("plan data always serializes") + "\n"
}

fn slash(p: &std::path::Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ripple::core::{Reason, Severity};

    fn finding(path: &str, line: usize) -> PlanFinding {
        PlanFinding {
            path: path.into(),
            line,
            column: 1,
            rule: "sql/x".into(),
            change: Some(0),
            severity: Severity::Review,
            reason: Reason::Unresolved,
            message: "m".into(),
        }
    }

    fn plan(findings: Vec<PlanFinding>) -> Plan {
        let mut plan = Plan::from_json(std::path::Path::new("p.json"), r#"{"version":1,"changes":[],"files":[],"findings":[],"summary":{"files_scanned":0,"files_parsed":0,"files_changed":0,"edits":0,"findings":0,"elapsed_ms":0,"files_skipped":0,"bytes_scanned":0}}"#).unwrap();
        plan.findings = findings;
        plan
    }

    fn result(findings: Vec<PlanFinding>) -> FileResult {
        FileResult { findings, ..FileResult::default() }
    }

    #[test]
    fn a_line_is_written_when_its_file_finishes_and_again_only_if_the_plan_changed_it() {
        let stream = Stream::new(Vec::new());
        stream.file(&result(vec![finding("b.sql", 2)]));
        stream.file(&result(vec![finding("a.sql", 1)]));
        let written = |s: &Stream<Vec<u8>>| String::from_utf8(s.state.lock().unwrap().out.clone()).unwrap();
        assert_eq!(written(&stream).lines().count(), 2, "written before the run ends");
        assert!(written(&stream).starts_with(r#"{"type":"file","path":"b.sql","edits":[],"findings":[{"#));
        // The plan adds a finding to a.sql and one for c.sql; b.sql is as streamed.
        let out = stream.finish(&plan(vec![
            finding("a.sql", 1),
            finding("a.sql", 5),
            finding("b.sql", 2),
            finding("c.sql", 0),
        ]));
        let lines: Vec<serde_json::Value> =
            String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let paths: Vec<&str> = lines.iter().map(|l| l["path"].as_str().unwrap_or("")).collect();
        assert_eq!(paths, ["b.sql", "a.sql", "a.sql", "c.sql", ""]);
        assert_eq!(lines[2]["findings"].as_array().unwrap().len(), 2);
        assert_eq!(lines[4]["type"], "summary");
    }

    #[test]
    fn a_file_the_plan_no_longer_names_gets_an_empty_line() {
        let stream = Stream::new(Vec::new());
        stream.file(&result(vec![finding("a.sql", 1)]));
        let out = String::from_utf8(stream.finish(&plan(Vec::new()))).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[1], r#"{"type":"file","path":"a.sql","edits":[],"findings":[]}"#);
        assert!(lines[2].starts_with(r#"{"type":"summary","version":1,"#), "{}", lines[2]);
    }
}
