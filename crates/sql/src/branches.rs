//! A statement with Jinja control flow, analysed once per way through its `if`s and `for`s
//! (the other branches blanked), the results merged. An edit stands only when every way
//! that renders its bytes, and reads as SQL, makes the same edit: identical edits from
//! several ways are one, an edit another way does not make (or contradicts) is a finding.
//! A way that cannot be read reports its first mention no other way read, and stops the
//! edits of the bytes it renders, since nothing says they are right there.

use crate::ids;
use crate::resolve::output::{Output, Owner, Written};
use crate::resolve::statements::{Parsed, Unit};
use crate::source::jinja_flow::Variant;
use ripple_core::{Edit, Severity};

/// Runs `run` over each way through the statement `whole`, then writes the merged result.
pub(crate) fn analyse<'a>(
    whole: &Unit,
    each: &[(Variant, Unit)],
    sink: &mut Output<'a>,
    mut run: impl FnMut(&Unit, &mut Output<'a>),
) {
    let modelled = |u: &Unit| matches!(u.parsed, Parsed::Model(_));
    let read = |start: usize, end: usize| each.iter().any(|(v, u)| modelled(u) && v.is_live(start, end));
    let mut ways: Vec<(&Variant, Written)> = Vec::new();
    for (variant, unit) in each {
        if unit.mentions.is_empty() {
            continue;
        }
        let at = sink.point();
        if modelled(unit) {
            run(unit, sink);
        } else {
            let mut unread = unit.clone();
            unread.mentions.retain(|m| !read(m.start, m.end));
            if !unread.mentions.is_empty() {
                run(&unread, sink);
            }
        }
        ways.push((variant, sink.take_since(at)));
    }
    let same = |a: &Edit, b: &Edit| {
        (a.start, a.end, a.change, &a.replacement) == (b.start, b.end, b.change, &b.replacement)
    };
    let overlap = |a: &Edit, b: &Edit| a.start < b.end.max(b.start + 1) && b.start < a.end.max(a.start + 1);
    let mut distinct: Vec<(Edit, Owner)> = Vec::new();
    for (e, owner) in ways.iter().flat_map(|(_, w)| w.edits.iter()) {
        if !distinct.iter().any(|(d, _)| same(d, e)) {
            distinct.push((e.clone(), *owner));
        }
    }
    let mut merged = Written::default();
    let mut withdrawn = Vec::new();
    for (e, owner) in &distinct {
        let agreed = ways
            .iter()
            .filter(|(v, _)| v.is_live(e.start, e.end))
            .all(|(_, w)| w.edits.iter().any(|(x, _)| same(x, e)));
        let clash = distinct.iter().any(|(d, _)| !same(d, e) && overlap(d, e));
        if agreed && !clash {
            merged.edits.push((e.clone(), *owner));
        } else {
            withdrawn.push((e.clone(), *owner));
        }
    }
    for (_, w) in ways {
        for (f, owner) in w.findings {
            // Ways report the same place in their own words (each its own parse error).
            let known =
                merged.findings.iter().any(|(g, _)| (g.start, g.end, &g.rule) == (f.start, f.end, &f.rule));
            if !known {
                merged.findings.push((f, owner));
            }
        }
        merged.seen.extend(w.seen);
    }
    let reported: Vec<(usize, usize)> = merged.findings.iter().map(|(f, _)| (f.start, f.end)).collect();
    sink.put(merged);
    let mut said: Vec<(usize, usize)> = Vec::new();
    for (e, owner) in withdrawn {
        let span = (e.start, e.end);
        if reported.contains(&span) || said.contains(&span) {
            continue;
        }
        said.push(span);
        sink.finding(
            owner,
            span,
            &e.rule,
            Some(e.change),
            Severity::Review,
            format!(
                "would rewrite this to {:?} in one way through the Jinja `if`/`for` around it, but not in every way that renders it; not rewritten",
                e.replacement
            ),
        );
    }
    // A mention no way renders (an arm a loop's single iteration skips) was read by none.
    for m in &whole.mentions {
        if !each.iter().any(|(v, _)| v.is_live(m.start, m.end)) {
            let name = sink.text((m.start, m.end)).to_string();
            sink.finding(
                Owner::Statements,
                (m.start, m.end),
                ids::UNANALYSED_MENTION.id,
                None,
                Severity::Review,
                format!("`{name}` is in a Jinja branch ripple does not analyse; not checked"),
            );
        }
    }
}
