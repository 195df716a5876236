//! Text renderings of plans: diffs, findings, impact lists, summaries, patches; the formats
//! for other programs each in a module of their own.

pub mod github;
pub mod jsonl;
pub mod sarif;

use crate::git_path;
use crate::style::Style;
use ripple::core::{PlanFinding, Reason, Severity};
use ripple::Plan;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

fn slash(p: &Path) -> String {
    p.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/")
}

/// A unified diff, colored line by line.
pub fn colored_diff(diff: &str, style: Style) -> String {
    let mut out = String::with_capacity(diff.len() + 256);
    for line in diff.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let painted = if body.starts_with("+++") || body.starts_with("---") {
            style.bold(body)
        } else if body.starts_with("@@") {
            style.cyan(body)
        } else if body.starts_with('+') {
            style.green(body)
        } else if body.starts_with('-') {
            style.red(body)
        } else {
            body.to_string()
        };
        out.push_str(&painted);
        out.push_str(nl);
    }
    out
}

pub fn finding_line(f: &PlanFinding, style: Style) -> String {
    let label = match f.severity {
        Severity::Review => style.yellow("review"),
        Severity::Info => style.dim("info"),
    };
    let location =
        if f.line == 0 { slash(&f.path) } else { format!("{}:{}:{}", slash(&f.path), f.line, f.column) };
    format!("{}: {label}[{}]: {}", style.bold(&location), f.rule, f.message)
}

/// The findings as a reviewer reads them: review findings grouped by file and reason with
/// their counts, then the info findings when `verbose`, else only how many there are.
pub fn findings_text(findings: &[PlanFinding], verbose: bool, style: Style) -> String {
    let mut out = String::new();
    let mut groups: BTreeMap<(String, Reason), Vec<&PlanFinding>> = BTreeMap::new();
    for f in findings.iter().filter(|f| f.severity == Severity::Review) {
        groups.entry((slash(&f.path), f.reason)).or_default().push(f);
    }
    if !groups.is_empty() {
        let _ = writeln!(out, "{}", style.bold("Findings for review"));
    }
    for ((path, reason), group) in &groups {
        let _ = writeln!(out, "{}: {} ({})", style.bold(path), style.yellow(reason.as_str()), group.len());
        for f in group {
            let place = if f.line == 0 { String::new() } else { format!("{}:{}: ", f.line, f.column) };
            let _ = writeln!(out, "  {place}[{}] {}", f.rule, f.message);
        }
    }
    let info: Vec<&PlanFinding> = findings.iter().filter(|f| f.severity == Severity::Info).collect();
    if info.is_empty() {
        return out;
    }
    if verbose {
        let _ = writeln!(out, "{}", style.bold("Info"));
        for f in info {
            let _ = writeln!(out, "{} ({})", finding_line(f, style), f.reason);
        }
    } else {
        let _ = writeln!(out, "{}", style.dim(&format!("{} info findings (-v lists them)", info.len())));
    }
    out
}

/// The text form of `plan`: its file moves, every diff, then the findings, then a summary
/// line.
pub fn plan_text(plan: &Plan, verbose: bool, style: Style) -> String {
    let mut out = String::new();
    for m in &plan.moves {
        let _ = writeln!(out, "{} {} -> {}", style.green("renamed"), slash(&m.from), slash(&m.to));
    }
    if !plan.moves.is_empty() {
        out.push('\n');
    }
    for file in &plan.files {
        // Diff headers are relative to the PATH argument; say which file it is when the
        // reported path differs.
        let header = format!("{} ({} edits)", slash(&file.path), file.edits.len());
        let _ = writeln!(out, "{}", style.dim(&format!("# {header}")));
        out.push_str(&colored_diff(&file.diff, style));
        out.push('\n');
    }
    if !plan.findings.is_empty() {
        out.push_str(&findings_text(&plan.findings, verbose, style));
        out.push('\n');
    }
    out.push_str(&summary_line(plan, style));
    out.push('\n');
    out
}

pub fn summary_line(plan: &Plan, style: Style) -> String {
    let s = &plan.summary;
    let review = plan.review_findings();
    let info = plan.findings.len() - review;
    let size = human_bytes(s.bytes_scanned);
    let mut line = format!(
        "{} edits in {} files; {} findings for review, {} info. Scanned {} files ({size}), parsed {}",
        s.edits, s.files_changed, review, info, s.files_scanned, s.files_parsed
    );
    if !plan.moves.is_empty() {
        line = line.replacen(" files; ", &format!(" files, {} renamed; ", plan.moves.len()), 1);
    }
    if s.files_skipped > 0 {
        let _ = write!(line, ", skipped {}", s.files_skipped);
    }
    if s.suppressed > 0 {
        let _ = write!(line, ", suppressed {}", s.suppressed);
    }
    let _ = write!(line, ", in {} ms.", s.elapsed_ms);
    style.bold(&line)
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1_000_000_000 => format!("{:.1} GB", n as f64 / 1e9),
        n if n >= 1_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        n if n >= 1_000 => format!("{:.1} KB", n as f64 / 1e3),
        n => format!("{n} bytes"),
    }
}

/// A patch that `git apply` accepts when run from the current directory: diff headers name
/// the files as reported (PATH joined with the relative path; an absolute one relative to
/// the current directory), quoted as git quotes them.
pub fn plan_patch(plan: &Plan) -> String {
    let cwd = std::env::current_dir().ok();
    let mut out = String::new();
    for file in &plan.files {
        let to = plan.moves.iter().find(|m| m.from == file.path).map_or(&file.path, |m| &m.to);
        let a = git_path::patch_name("a/", &file.path, cwd.as_deref());
        let b = git_path::patch_name("b/", to, cwd.as_deref());
        // The hunks, past the diff's own `---`/`+++` lines (whose names may hold newlines).
        let rest = file.diff.find("\n@@ -").map_or("", |at| &file.diff[at + 1..]);
        let _ = writeln!(out, "diff --git {a} {b}");
        if *to != file.path {
            let similarity = ripple::core::amend::similarity(&file.original, &file.rewritten);
            out.push_str(&rename_header(&file.path, to, similarity, cwd.as_deref()));
        }
        let _ = writeln!(out, "--- {a}\n+++ {b}");
        out.push_str(rest);
    }
    for m in plan.moves.iter().filter(|m| !plan.files.iter().any(|f| f.path == m.from)) {
        let a = git_path::patch_name("a/", &m.from, cwd.as_deref());
        let b = git_path::patch_name("b/", &m.to, cwd.as_deref());
        let _ = writeln!(out, "diff --git {a} {b}");
        out.push_str(&rename_header(&m.from, &m.to, 100, cwd.as_deref()));
    }
    out
}

/// git's lines for a renamed file.
fn rename_header(from: &Path, to: &Path, similarity: u32, cwd: Option<&Path>) -> String {
    let (from, to) = (git_path::patch_name("", from, cwd), git_path::patch_name("", to, cwd));
    format!("similarity index {similarity}%\nrename from {from}\nrename to {to}\n")
}

/// One line per reference ripple found: rewritten (an edit) or a finding.
pub fn impact_text(plan: &Plan, style: Style) -> String {
    let mut rows: Vec<(String, usize, usize, String)> = Vec::new();
    for file in &plan.files {
        for e in &file.edits {
            let change = describe_change(plan, Some(e.change));
            rows.push((
                slash(&file.path),
                e.line,
                e.column,
                format!(
                    "{} {change}: `{}` -> `{}` [{}]",
                    style.green("rewritten"),
                    e.before,
                    e.after,
                    e.rule
                ),
            ));
        }
    }
    for f in &plan.findings {
        let label = match f.severity {
            Severity::Review => style.yellow("review"),
            Severity::Info => style.dim("info"),
        };
        let change = describe_change(plan, f.change);
        rows.push((
            slash(&f.path),
            f.line,
            f.column,
            format!("{label} {change}: {} [{}]", f.message, f.rule),
        ));
    }
    rows.sort_by(|a, b| (&a.0, a.1, a.2).cmp(&(&b.0, b.1, b.2)));
    let mut out = String::new();
    for (path, line, column, what) in rows {
        let _ = writeln!(out, "{}: {what}", style.bold(&format!("{path}:{line}:{column}")));
    }
    out.push_str(&summary_line(plan, style));
    out.push('\n');
    out
}

fn describe_change(plan: &Plan, change: Option<usize>) -> String {
    match change.and_then(|i| plan.changes.get(i).map(|c| (i, c))) {
        Some((i, c)) => format!("#{i} ({c})"),
        None => "-".to_string(),
    }
}

/// The JSON form of `impact`: every reference as one flat record.
pub fn impact_json(plan: &Plan) -> String {
    ripple::core::Impact::of(plan).to_json()
}
