//! Removing one element of a comma-separated list (a column definition, a select item,
//! an INSERT column and its values, a SET assignment) with exactly one comma and the
//! whitespace and line that belong to it, so the list stays well-formed and laid out.

use super::scope::ElementList;
use crate::source::lex::Lexed;

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |p| p + 1)
}

/// End of the line containing `at`, past its newline.
fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |p| at + p + 1)
}

fn blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// Is `s` blank or blank followed by one `--` comment?
fn blank_or_line_comment(s: &str) -> bool {
    let t = s.trim_start();
    t.is_empty() || (t.starts_with("--") && !t.trim_end().contains('\n'))
}

/// The byte spans that remove element `k` of `list` with exactly one adjacent comma and
/// the whitespace that belongs to it, leaving the list well-formed.
pub fn removal(
    list: &ElementList,
    k: usize,
    lexed: &Lexed,
    text: &str,
) -> Result<Vec<(usize, usize)>, String> {
    let Some(&(start, end)) = list.elements.get(k) else { return Err("its list is not modelled".into()) };
    if list.elements.len() < 2 {
        return Err("it is the only element of its list".into());
    }
    let on_own_line = blank(&text[line_start(text, start)..start]);
    if let Some(&(next, _)) = list.elements.get(k + 1) {
        let comma = *list.commas.iter().find(|&&c| c >= end && c < next).ok_or("no comma after it")?;
        if !blank(&text[end..comma]) {
            return Err("a comment stands between it and its comma".into());
        }
        let next_on_new_line = text[comma..next].contains('\n');
        if on_own_line && next_on_new_line {
            // Whole lines: the definition's line(s) through the comma and any comment
            // trailing it on that line.
            let eol = line_end(text, comma);
            if !blank_or_line_comment(&text[comma + 1..eol]) {
                return Err("other text follows it on its line".into());
            }
            return Ok(vec![(line_start(text, start), eol)]);
        }
        if lexed.comments_in(comma, next) {
            return Err("a comment follows it inside the list".into());
        }
        return Ok(vec![(start, next)]);
    }
    // The last element: take the comma before it.
    let &(_, prev_end) = list.elements.get(k.wrapping_sub(1)).ok_or("no element before it")?;
    let comma =
        *list.commas.iter().rev().find(|&&c| c >= prev_end && c < start).ok_or("no comma before it")?;
    let eol = line_end(text, end);
    let rest_of_line = text[end..eol].trim_end_matches(['\n', '\r']);
    let trailing = if blank_or_line_comment(rest_of_line) { end + rest_of_line.len() } else { end };
    if lexed.comments_in(comma, start) {
        if !on_own_line {
            return Err("a comment stands before it inside the list".into());
        }
        // Keep the comment that belongs to the previous element: drop only its comma,
        // then the definition's own line(s).
        return Ok(vec![(comma, comma + 1), (line_start(text, start), line_end(text, end))]);
    }
    Ok(vec![(comma, if on_own_line { trailing } else { end })])
}
