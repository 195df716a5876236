//! What rules produce: byte-range edits and findings for a human.

use crate::reason::Reason;
use crate::span::Span;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How sure a rule is that an edit is right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// The reference resolves to the changed table and column with certainty.
    Certain,
    /// Resolution relies on a convention (an unqualified table for a schema-qualified change).
    Likely,
}

/// How much a finding asks of its reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
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
    /// The first byte replaced.
    pub start: usize,
    /// One past the last byte replaced (`start` for an insertion).
    pub end: usize,
    /// The new text.
    pub replacement: String,
    /// The id of the rule that wants it.
    pub rule: String,
    /// Index of the change this edit serves in the change set.
    pub change: usize,
    /// How sure the rule is.
    pub confidence: Confidence,
}

impl Edit {
    /// The bytes it replaces.
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }

    /// Do two edits touch the same bytes (or insert at the same point)?
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
    /// One past its last byte.
    pub end: usize,
    /// The id of the rule that reports it.
    pub rule: String,
    /// Index of the change it is about, if one.
    pub change: Option<usize>,
    /// How much it asks of its reader.
    pub severity: Severity,
    /// What to tell the reader.
    pub message: String,
    /// Why it is raised, when not its rule id's default reason.
    pub reason: Option<Reason>,
}

impl Finding {
    /// The bytes it is about.
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

/// Edits and findings a rule returns for one file.
#[derive(Debug, Default, Clone)]
pub struct RuleOutput {
    /// Edits wanted.
    pub edits: Vec<Edit>,
    /// Findings to report.
    pub findings: Vec<Finding>,
    /// Spans a rule examined and judged to need nothing (a read that keeps working because
    /// the query keeps its output names). Fallback rules do not report them again.
    pub seen: Vec<(usize, usize)>,
}

impl RuleOutput {
    /// Wants `span` replaced by `replacement`, for change `change`.
    pub fn edit(
        &mut self,
        span: impl Into<Span>,
        replacement: impl Into<String>,
        rule: impl AsRef<str>,
        change: usize,
        confidence: Confidence,
    ) {
        let span = span.into();
        self.edits.push(Edit {
            start: span.start,
            end: span.end,
            replacement: replacement.into(),
            rule: rule.as_ref().to_string(),
            change,
            confidence,
        });
    }

    /// Reports `message` about `span`, for its rule id's default reason.
    pub fn finding(
        &mut self,
        span: impl Into<Span>,
        rule: impl AsRef<str>,
        change: Option<usize>,
        severity: Severity,
        message: impl Into<String>,
    ) {
        self.push_finding(span.into(), rule.as_ref(), change, severity, None, message.into());
    }

    /// Reports `message` about `span` for `reason`: for a rule id whose findings are of
    /// more than one kind.
    pub fn finding_for(
        &mut self,
        reason: Reason,
        span: impl Into<Span>,
        rule: impl AsRef<str>,
        change: Option<usize>,
        severity: Severity,
        message: impl Into<String>,
    ) {
        self.push_finding(span.into(), rule.as_ref(), change, severity, Some(reason), message.into());
    }

    fn push_finding(
        &mut self,
        span: Span,
        rule: &str,
        change: Option<usize>,
        severity: Severity,
        reason: Option<Reason>,
        message: String,
    ) {
        self.findings.push(Finding {
            start: span.start,
            end: span.end,
            rule: rule.to_string(),
            change,
            severity,
            message,
            reason,
        });
    }

    /// Takes in another output.
    pub fn extend(&mut self, other: RuleOutput) {
        self.edits.extend(other.edits);
        self.findings.extend(other.findings);
        self.seen.extend(other.seen);
    }

    /// Has some rule already edited, reported or judged a span that covers `[start, end)`?
    pub fn accounts_for(&self, start: usize, end: usize) -> bool {
        let span = Span::new(start, end);
        self.edits.iter().any(|x| x.span().covers(span))
            || self.findings.iter().any(|x| x.span().covers(span))
            || self.seen.iter().any(|&seen| Span::from(seen).covers(span))
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
