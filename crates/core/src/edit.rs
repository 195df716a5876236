//! What rules produce: byte-range edits and findings for a human.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// The reference resolves to the changed table and column with certainty.
    Certain,
    /// Resolution relies on a convention (an unqualified table for a schema-qualified change).
    Likely,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A human must act: the code may break and ripple did not fix it.
    Review,
    /// Worth knowing; nothing to do unless the reader disagrees.
    Info,
}

/// Replace bytes `[start, end)` of a file (or, inside a rule, of a region) with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
    pub rule: String,
    /// Index of the change this edit serves in the change set.
    pub change: usize,
    pub confidence: Confidence,
}

impl Edit {
    pub fn overlaps(&self, other: &Edit) -> bool {
        // Two insertions at the same point overlap too: their order would be a guess.
        self.start < other.end && other.start < self.end
            || (self.start == self.end || other.start == other.end) && self.start == other.start
    }
}

/// Something a human should see: a reference ripple saw and did not (or could not) rewrite.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Finding {
    /// Byte span in the file (or region, inside a rule) the finding is about.
    pub start: usize,
    pub end: usize,
    pub rule: String,
    pub change: Option<usize>,
    pub severity: Severity,
    pub message: String,
}

/// Edits and findings a rule returns for one file.
#[derive(Debug, Default, Clone)]
pub struct RuleOutput {
    pub edits: Vec<Edit>,
    pub findings: Vec<Finding>,
    /// Spans a rule examined and judged to need nothing (a read that keeps working because
    /// the query keeps its output names). Fallback rules do not report them again.
    pub seen: Vec<(usize, usize)>,
}

impl RuleOutput {
    pub fn edit(
        &mut self,
        span: (usize, usize),
        replacement: impl Into<String>,
        rule: impl AsRef<str>,
        change: usize,
        confidence: Confidence,
    ) {
        self.edits.push(Edit {
            start: span.0,
            end: span.1,
            replacement: replacement.into(),
            rule: rule.as_ref().to_string(),
            change,
            confidence,
        });
    }

    pub fn finding(
        &mut self,
        span: (usize, usize),
        rule: impl AsRef<str>,
        change: Option<usize>,
        severity: Severity,
        message: impl Into<String>,
    ) {
        self.findings.push(Finding {
            start: span.0,
            end: span.1,
            rule: rule.as_ref().to_string(),
            change,
            severity,
            message: message.into(),
        });
    }

    pub fn extend(&mut self, other: RuleOutput) {
        self.edits.extend(other.edits);
        self.findings.extend(other.findings);
        self.seen.extend(other.seen);
    }

    /// Has some rule already edited, reported or judged a span that covers `[start, end)`?
    pub fn accounts_for(&self, start: usize, end: usize) -> bool {
        let covers = |s: usize, e: usize| s <= start && end <= e;
        self.edits.iter().any(|x| covers(x.start, x.end))
            || self.findings.iter().any(|x| covers(x.start, x.end))
            || self.seen.iter().any(|&(s, e)| covers(s, e))
    }

    /// Moves every span by `delta` bytes: maps a region's output onto its file.
    pub fn shift(&mut self, delta: usize) {
        for e in &mut self.edits {
            e.start += delta;
            e.end += delta;
        }
        for f in &mut self.findings {
            f.start += delta;
            f.end += delta;
        }
        for (s, e) in &mut self.seen {
            *s += delta;
            *e += delta;
        }
    }
}
