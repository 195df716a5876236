//! The scan's lexical shortcut: a file whose every occurrence of a watched name or host
//! spelling stands in a comment or docstring gets its findings without a parse. Most files a
//! big tree makes relevant are such files (a name in a licence header, a docstring), and
//! parsing them was most of a run's time.

use super::RuleSet;
use crate::edit::RuleOutput;
use crate::host::prose_at;
use crate::rule::{RuleContext, SourceFile};

/// The rules' output for `file` from its host's lexical pass, or `None` when the file must
/// be parsed: its host has no such pass or cannot lex it, a name stands outside prose, or a
/// rule of its language needs the tree.
pub(super) fn prose_only(
    rules: &RuleSet,
    file: &SourceFile<'_>,
    ctx: &RuleContext<'_>,
) -> Option<RuleOutput> {
    if !rules.prose_shortcut() {
        return None;
    }
    let host = ctx.hosts.get(file.lang)?;
    let occurrences = ctx.names.occurrences(file.text);
    let prose = host.prose(file.text)?;
    if !occurrences.iter().all(|m| prose_at(&prose, m.start, m.end).is_some()) {
        return None;
    }
    let mut out = RuleOutput::default();
    for rule in rules.for_language(file.lang) {
        if !rule.run_on_prose(file, ctx, &prose, &mut out) {
            return None;
        }
    }
    Some(out)
}
