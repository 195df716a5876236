//! `ripple apply --interactive`: every edit is shown with its line before and after and asked
//! about, as `git add -p` asks about hunks: y (apply it), n (leave it), a (apply it and every
//! one after it), q (apply none of the rest). Only the accepted edits are written.

use crate::style::Style;
use ripple::core::diff::{path_bytes, unified_diff_of};
use ripple::core::{FilePlan, PlanEdit};
use ripple::Plan;
use std::io::{self, BufRead, Write};

const HELP: &str = "y - apply this edit\nn - do not apply this edit\n\
a - apply this edit and all the remaining ones\nq - quit; do not apply this edit or any remaining one\n";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Answer {
    Yes,
    No,
    All,
    Quit,
}

/// Asks about each edit of `plan` through `input` and `out`, and returns the plan of the
/// accepted edits. The end of input answers q.
pub fn choose(plan: &Plan, input: &mut impl BufRead, out: &mut impl Write, style: Style) -> io::Result<Plan> {
    let total: usize = plan.files.iter().map(|f| f.edits.len()).sum();
    let mut asked = 0;
    let mut mode = Answer::Yes;
    let mut files = Vec::new();
    for file in &plan.files {
        let mut keep = Vec::new();
        for edit in &file.edits {
            asked += 1;
            let answer = match mode {
                Answer::All | Answer::Quit => mode,
                _ => ask(file, edit, (asked, total), input, out, style)?,
            };
            if matches!(answer, Answer::All | Answer::Quit) {
                mode = answer;
            }
            if matches!(answer, Answer::Yes | Answer::All) {
                keep.push(edit.clone());
            }
        }
        if let Some(file) = with_edits(file, keep) {
            files.push(file);
        }
    }
    let mut chosen = plan.clone();
    chosen.files = files;
    chosen.summary.files_changed = chosen.files.len();
    chosen.summary.edits = chosen.files.iter().map(|f| f.edits.len()).sum();
    Ok(chosen)
}

fn ask(
    file: &FilePlan,
    edit: &PlanEdit,
    (n, total): (usize, usize),
    input: &mut impl BufRead,
    out: &mut impl Write,
    style: Style,
) -> io::Result<Answer> {
    let (before, after) = edited_lines(file, edit);
    let place = format!("{}:{}:{}", file.path.display(), edit.line, edit.column);
    writeln!(out, "{} [{}]", style.bold(&place), edit.rule)?;
    for line in before.lines() {
        writeln!(out, "{}", style.red(&format!("-{line}")))?;
    }
    for line in after.lines() {
        writeln!(out, "{}", style.green(&format!("+{line}")))?;
    }
    loop {
        write!(out, "{}", style.cyan(&format!("({n}/{total}) Apply this edit [y,n,a,q,?]? ")))?;
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            writeln!(out)?;
            return Ok(Answer::Quit);
        }
        match line.trim() {
            "y" | "Y" => return Ok(Answer::Yes),
            "n" | "N" => return Ok(Answer::No),
            "a" | "A" => return Ok(Answer::All),
            "q" | "Q" => return Ok(Answer::Quit),
            _ => write!(out, "{HELP}")?,
        }
    }
}

/// The whole lines an edit touches, before and after it.
fn edited_lines(file: &FilePlan, edit: &PlanEdit) -> (String, String) {
    let text = &file.original;
    let start = text[..edit.start].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let end = text[edit.end..].iter().position(|&b| b == b'\n').map_or(text.len(), |i| edit.end + i);
    let before = String::from_utf8_lossy(&text[start..end]).into_owned();
    let after = format!(
        "{}{}{}",
        String::from_utf8_lossy(&text[start..edit.start]),
        edit.after,
        String::from_utf8_lossy(&text[edit.end..end])
    );
    (before, after)
}

/// `file` with only `edits` (a subset of its own, in order), its bytes and diff redone; `None`
/// when no edit is left.
fn with_edits(file: &FilePlan, edits: Vec<PlanEdit>) -> Option<FilePlan> {
    if edits.is_empty() {
        return None;
    }
    if edits.len() == file.edits.len() {
        return Some(file.clone());
    }
    let mut rewritten = Vec::with_capacity(file.original.len());
    let mut at = 0;
    for e in &edits {
        rewritten.extend_from_slice(&file.original[at..e.start]);
        rewritten.extend_from_slice(e.after.as_bytes());
        at = e.end;
    }
    rewritten.extend_from_slice(&file.original[at..]);
    // Planned files are UTF-8 (others are skipped), and so are the replacements; diffs leave
    // out a byte-order mark, as the planned ones do.
    let bom = if file.original.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let old = String::from_utf8_lossy(&file.original[bom..]);
    let new = String::from_utf8_lossy(&rewritten[bom..]);
    let diff = unified_diff_of(&path_bytes(&file.relative), &old, &new);
    Some(FilePlan { edits, rewritten, diff, ..file.clone() })
}
