//! sqlparser locations (1-based line and column, counted in characters, the end one past
//! the last character) as byte offsets into the file, for a statement parsed on its own.

use sqlparser::tokenizer::{Location, Span};

/// Converts locations within one statement's text to byte offsets of the whole file.
pub struct Offsets<'a> {
    text: &'a str,
    /// Byte offset of the statement in the file.
    base: usize,
    /// Byte offset of each line start within `text`.
    lines: Vec<usize>,
}

impl<'a> Offsets<'a> {
    pub fn new(text: &'a str, base: usize) -> Self {
        let mut lines = vec![0];
        lines.extend(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1));
        Offsets { text, base, lines }
    }

    /// The file offset of a location; `None` for the empty location or one outside the text.
    pub fn byte(&self, loc: Location) -> Option<usize> {
        let line = usize::try_from(loc.line).ok()?.checked_sub(1)?;
        let col = usize::try_from(loc.column).ok()?.checked_sub(1)?;
        let start = *self.lines.get(line)?;
        let end = self.lines.get(line + 1).map_or(self.text.len(), |&n| n - 1);
        let line_text = self.text.get(start..end)?;
        // One past the last character of the line is a valid end.
        let within = match line_text.char_indices().nth(col) {
            Some((i, _)) => i,
            None if line_text.chars().count() == col => line_text.len(),
            None => return None,
        };
        Some(self.base + start + within)
    }

    /// The file byte span of a sqlparser span; `None` when either end is unknown.
    pub fn span(&self, s: Span) -> Option<(usize, usize)> {
        let (a, b) = (self.byte(s.start)?, self.byte(s.end)?);
        (a <= b).then_some((a, b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(line: u64, column: u64) -> Location {
        Location { line, column }
    }

    #[test]
    fn counts_characters_not_bytes() {
        // `é` is two bytes, `日` three, `😀` four.
        let t = "select 'é日😀', x\nfrom \"ü\"";
        let o = Offsets::new(t, 100);
        assert_eq!(o.byte(loc(1, 1)), Some(100));
        // `x` is the 15th character of line 1.
        let x = t.find(", x").unwrap() + 2;
        assert_eq!(o.byte(loc(1, 15)), Some(100 + x));
        assert_eq!(&t[x..x + 1], "x");
        // End of line 1 (one past `x`).
        assert_eq!(o.byte(loc(1, 16)), Some(100 + x + 1));
        assert_eq!(o.byte(loc(1, 17)), None);
        let q = t.find('"').unwrap();
        assert_eq!(o.span(Span::new(loc(2, 6), loc(2, 9))), Some((100 + q, 100 + t.len())));
        assert_eq!(o.byte(loc(0, 0)), None);
        assert_eq!(o.byte(loc(3, 1)), None);
    }

    #[test]
    fn carriage_returns_are_characters_of_their_line() {
        let t = "a\r\nbb";
        let o = Offsets::new(t, 0);
        assert_eq!(o.byte(loc(1, 3)), Some(2));
        assert_eq!(o.byte(loc(2, 2)), Some(4));
    }
}
