//! What the passes over a statement write into: one list of edits and one of findings,
//! each item tagged with the part of the analysis that made it. The result lists the
//! items part by part (statements, table renames, column renames, DDL, column usage),
//! each part in the order it was written.

use crate::source::SqlSource;
use ripple_core::{Confidence, Edit, Finding, Reason, RuleOutput, Severity};

/// The part of the analysis that reports an edit or finding; the output is ordered by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Owner {
    Statements,
    RenameTable,
    RenameColumn,
    Ddl,
    ColumnUsage,
}

/// How many edits there were when a pass began: the pass's edits are those after it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark(usize);

/// How much had been written at some point: what was written after it can be taken out.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Point {
    edits: usize,
    findings: usize,
    seen: usize,
}

/// Edits and findings taken out of an [`Output`], each with its owner.
#[derive(Default)]
pub(crate) struct Written {
    pub edits: Vec<(Edit, Owner)>,
    pub findings: Vec<(Finding, Owner)>,
    pub seen: Vec<(usize, usize)>,
}

/// The edits and findings of one SQL text.
pub(crate) struct Output<'a> {
    pub source: &'a SqlSource,
    out: RuleOutput,
    edit_owners: Vec<Owner>,
    finding_owners: Vec<Owner>,
}

impl<'a> Output<'a> {
    pub(crate) fn new(source: &'a SqlSource) -> Self {
        Output { source, out: RuleOutput::default(), edit_owners: Vec::new(), finding_owners: Vec::new() }
    }

    /// Records an edit, unless its span is not plain code of the original text: a span
    /// touching Jinja or a masked bind parameter becomes a finding instead.
    pub(crate) fn edit(
        &mut self,
        owner: Owner,
        span: (usize, usize),
        to: String,
        rule: &str,
        change: usize,
        conf: Confidence,
    ) {
        let (original, masked) = (&self.source.original, &self.source.masked);
        let ok = !masked.touches(span.0, span.1)
            && original.get(span.0..span.1).is_some()
            && original.get(span.0..span.1) == masked.text.get(span.0..span.1);
        if ok {
            self.out.edit(span, to, rule, change, conf);
            self.edit_owners.push(owner);
        } else {
            self.finding(
                owner,
                span,
                rule,
                Some(change),
                Severity::Review,
                format!(
                    "would rewrite this to {to:?}, but it is inside a template or parameter; not rewritten"
                ),
            );
        }
    }

    /// Records an edit of a string literal's content inside a Jinja expression (a column
    /// name passed to a known macro), which [`Output::edit`] would refuse.
    pub(crate) fn jinja_edit(
        &mut self,
        owner: Owner,
        span: (usize, usize),
        to: String,
        rule: &str,
        change: usize,
        conf: Confidence,
    ) {
        let inside = self.source.masked.blocks.iter().any(|b| b.start + 2 <= span.0 && span.1 + 2 <= b.end);
        if inside && self.source.original.get(span.0..span.1).is_some() {
            self.out.edit(span, to, rule, change, conf);
            self.edit_owners.push(owner);
        }
    }

    pub(crate) fn finding(
        &mut self,
        owner: Owner,
        span: (usize, usize),
        rule: &str,
        change: Option<usize>,
        sev: Severity,
        msg: String,
    ) {
        self.out.finding(span, rule, change, sev, msg);
        self.finding_owners.push(owner);
    }

    /// A finding whose reason is not its rule id's default.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn finding_for(
        &mut self,
        owner: Owner,
        reason: Reason,
        span: (usize, usize),
        rule: &str,
        change: Option<usize>,
        sev: Severity,
        msg: String,
    ) {
        self.out.finding_for(reason, span, rule, change, sev, msg);
        self.finding_owners.push(owner);
    }

    /// The original text at a span (empty if the span is not on char boundaries).
    pub(crate) fn text(&self, span: (usize, usize)) -> &'a str {
        self.source.text(span)
    }

    pub(crate) fn mark(&self) -> Mark {
        Mark(self.out.edits.len())
    }

    pub(crate) fn point(&self) -> Point {
        Point { edits: self.out.edits.len(), findings: self.out.findings.len(), seen: self.out.seen.len() }
    }

    /// Takes out everything written since `at`.
    pub(crate) fn take_since(&mut self, at: Point) -> Written {
        let (e, f) = (at.edits.min(self.out.edits.len()), at.findings.min(self.out.findings.len()));
        Written {
            edits: self.out.edits.drain(e..).zip(self.edit_owners.drain(e..)).collect(),
            findings: self.out.findings.drain(f..).zip(self.finding_owners.drain(f..)).collect(),
            seen: self.out.seen.drain(at.seen.min(self.out.seen.len())..).collect(),
        }
    }

    /// Writes back what [`Output::take_since`] took out (or part of it).
    pub(crate) fn put(&mut self, written: Written) {
        for (e, owner) in written.edits {
            self.out.edits.push(e);
            self.edit_owners.push(owner);
        }
        for (f, owner) in written.findings {
            self.out.findings.push(f);
            self.finding_owners.push(owner);
        }
        self.out.seen.extend(written.seen);
    }

    /// The edits made since `mark`, each with its owner.
    pub(crate) fn edits_since(&self, mark: Mark) -> impl Iterator<Item = (&Edit, Owner)> {
        let at = mark.0.min(self.out.edits.len());
        self.out.edits[at..].iter().zip(self.edit_owners[at..].iter().copied())
    }

    /// Turns the edits made since `mark` into findings: `message` says why, given the
    /// replacement.
    pub(crate) fn withdraw_since(&mut self, mark: Mark, message: impl Fn(&Edit) -> String) {
        let at = mark.0.min(self.out.edits.len());
        let edits: Vec<Edit> = self.out.edits.drain(at..).collect();
        let owners: Vec<Owner> = self.edit_owners.drain(at..).collect();
        for (e, owner) in edits.into_iter().zip(owners) {
            let msg = message(&e);
            self.finding(owner, (e.start, e.end), &e.rule, Some(e.change), Severity::Review, msg);
        }
    }

    /// The output, part by part. A historical migration is left as written: its edits
    /// become findings of what would change, and every finding is for information.
    pub(crate) fn finish(mut self, historical: bool) -> RuleOutput {
        if historical {
            let source = self.source;
            for (e, owner) in std::mem::take(&mut self.out.edits).into_iter().zip(self.edit_owners.drain(..))
            {
                let before = source.text((e.start, e.end));
                let msg = format!(
                    "historical migration, left as written (would change {before:?} to {:?})",
                    e.replacement
                );
                let span = (e.start, e.end);
                self.out.finding_for(Reason::Historical, span, &e.rule, Some(e.change), Severity::Info, msg);
                self.finding_owners.push(owner);
            }
            for f in &mut self.out.findings {
                f.severity = Severity::Info;
                f.reason = Some(Reason::Historical);
            }
        }
        RuleOutput {
            edits: by_owner(self.out.edits, self.edit_owners),
            findings: by_owner(self.out.findings, self.finding_owners),
            seen: self.out.seen,
        }
    }
}

/// `items` grouped by owner, stably.
fn by_owner<T>(items: Vec<T>, owners: Vec<Owner>) -> Vec<T> {
    let mut tagged: Vec<(Owner, T)> = owners.into_iter().zip(items).collect();
    tagged.sort_by_key(|(owner, _)| *owner);
    tagged.into_iter().map(|(_, item)| item).collect()
}
