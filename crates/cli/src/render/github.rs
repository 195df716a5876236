//! `--format github`: GitHub Actions workflow commands, which the runner turns into
//! annotations on the pull request's diff. Review findings and pending edits are warnings
//! (what `--check` fails on), info findings are notices; the summary line closes the log.

use ripple::core::Severity;
use ripple::Plan;
use std::fmt::Write;

/// The annotations for `plan`, one line each, then the summary line.
pub fn plan_github(plan: &Plan, summary: &str) -> String {
    let mut out = String::new();
    for file in &plan.files {
        for e in &file.edits {
            let place = properties(&file.path.to_string_lossy(), e.line, e.column, &e.rule);
            let message = match e.after.trim() {
                "" => format!("ripple apply deletes `{}`", e.before.trim()),
                after => format!("ripple apply rewrites `{}` to `{after}`", e.before.trim()),
            };
            let _ = writeln!(out, "::warning {place}::{}", data(&message));
        }
    }
    for f in &plan.findings {
        let level = match f.severity {
            Severity::Review => "warning",
            Severity::Info => "notice",
        };
        let place = properties(&f.path.to_string_lossy(), f.line, f.column, &f.rule);
        let _ = writeln!(out, "::{level} {place}::{}", data(&format!("{} ({})", f.message, f.reason)));
    }
    out.push_str(summary);
    out.push('\n');
    out
}

/// `file=…,line=…,col=…,title=…`; a finding about a whole file (line 0) has no line.
fn properties(path: &str, line: usize, column: usize, rule: &str) -> String {
    let mut out = format!("file={}", property(&path.replace('\\', "/")));
    if line > 0 {
        let _ = write!(out, ",line={line},col={}", column.max(1));
    }
    let _ = write!(out, ",title={}", property(&format!("ripple {rule}")));
    out
}

/// A message, escaped as the runner unescapes it.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A property value: as a message, and `:` and `,` too, which separate properties.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::{data, properties};

    #[test]
    fn separators_and_newlines_are_escaped() {
        assert_eq!(data("50% of a\nb"), "50%25 of a%0Ab");
        assert_eq!(properties("a,b:c.sql", 0, 0, "sql/x"), "file=a%2Cb%3Ac.sql,title=ripple sql/x");
        assert_eq!(properties("a.sql", 3, 7, "sql/x"), "file=a.sql,line=3,col=7,title=ripple sql/x");
    }
}
