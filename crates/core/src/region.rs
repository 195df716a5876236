//! Regions: a stretch of code in one language inside a file of another (the SQL inside a
//! Python or Java string), as the program would see it, with a map from every region byte
//! back to the file. An edit maps back only when every byte it replaces was written
//! verbatim in the file, in one piece; anything else (an escape sequence, an f-string hole,
//! a `+` between two literals) is refused, never approximated.

use crate::edit::{Edit, Finding, RuleOutput, Severity};
use crate::reason::Reason;

/// Why new text cannot be written inside a host literal as it stands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EscapeError(pub String);

/// Text in one language gathered from a file of another, with its origins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Region {
    text: String,
    /// For each region byte, the file byte it was copied from verbatim, or `None` for bytes
    /// that come from an escape, a placeholder for a hole, or a join of pieces.
    origin: Vec<Option<usize>>,
    /// One past the last region byte of each verbatim run, mapped to the file: where an
    /// insertion at the end of a run lands.
    run_ends: Vec<(usize, usize)>,
}

impl Region {
    /// An empty region.
    pub fn new() -> Self {
        Self::default()
    }

    /// The text as the program sees it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Appends text copied verbatim from file bytes starting at `file_start`.
    pub fn push_verbatim(&mut self, text: &str, file_start: usize) {
        let at = self.text.len();
        self.text.push_str(text);
        self.origin.extend((0..text.len()).map(|i| Some(file_start + i)));
        self.run_ends.push((at + text.len(), file_start + text.len()));
    }

    /// Appends text that has no byte-for-byte origin in the file: an unescaped character,
    /// a placeholder for an interpolation, the space that stands for a `+` join.
    pub fn push_synthetic(&mut self, text: &str) {
        self.text.push_str(text);
        self.origin.extend(std::iter::repeat_n(None, text.len()));
    }

    /// Appends another region; its bytes keep their origins.
    pub fn append(&mut self, other: &Region) {
        let at = self.text.len();
        self.text.push_str(&other.text);
        self.origin.extend_from_slice(&other.origin);
        self.run_ends.extend(other.run_ends.iter().map(|(end, file)| (at + end, *file)));
    }

    /// The file span of region span `[start, end)`, if every byte of it is verbatim and
    /// contiguous in the file.
    pub fn map_span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        if start > end || end > self.text.len() {
            return None;
        }
        if start == end {
            return self.map_point(start);
        }
        let first = self.origin[start]?;
        for (i, o) in self.origin[start..end].iter().enumerate() {
            if *o != Some(first + i) {
                return None;
            }
        }
        Some((first, first + (end - start)))
    }

    fn map_point(&self, at: usize) -> Option<(usize, usize)> {
        if let Some(Some(o)) = self.origin.get(at) {
            return Some((*o, *o));
        }
        self.run_ends.iter().find(|(end, _)| *end == at).map(|(_, f)| (*f, *f))
    }

    /// Maps a rule's output over this region onto the file. Edits that cannot be mapped
    /// exactly, or whose new text the host literal cannot hold as written, become findings.
    /// `escape` turns new text into what the host literal must contain, or says why not.
    pub fn map_output(
        &self,
        output: RuleOutput,
        escape: &dyn Fn(&str) -> Result<String, EscapeError>,
        whole_region: (usize, usize),
    ) -> RuleOutput {
        let mut mapped = RuleOutput::default();
        for e in output.edits {
            let refused = |why: String| Finding {
                start: whole_region.0,
                end: whole_region.1,
                rule: e.rule.clone(),
                change: Some(e.change),
                severity: Severity::Review,
                message: format!(
                    "would change `{}` to `{}` in this embedded SQL, but {why}; not rewritten",
                    self.text.get(e.start..e.end).unwrap_or(""),
                    e.replacement
                ),
                // The edit's rule rewrites; what it could not rewrite is left to a person.
                reason: Some(Reason::ManualEdit),
            };
            match (self.map_span(e.start, e.end), escape(&e.replacement)) {
                (Some((start, end)), Ok(replacement)) => {
                    mapped.edits.push(Edit { start, end, replacement, ..e })
                }
                (None, _) => {
                    let f = refused("it is not written verbatim in one piece of the string (an escape, an interpolation or a concatenation)".into());
                    let at = self.nearest_file_offset(e.start).unwrap_or(whole_region.0);
                    mapped.findings.push(Finding { start: at, end: at, ..f });
                }
                (Some((start, end)), Err(why)) => {
                    mapped.findings.push(Finding { start, end, ..refused(why.to_string()) })
                }
            }
        }
        for f in output.findings {
            let (start, end) = self
                .map_span(f.start, f.end)
                .or_else(|| self.nearest_file_offset(f.start).map(|o| (o, o)))
                .unwrap_or(whole_region);
            mapped.findings.push(Finding { start, end, ..f });
        }
        for (s, e) in output.seen {
            if let Some(span) = self.map_span(s, e) {
                mapped.seen.push(span);
            }
        }
        mapped
    }

    /// The file offset of the nearest verbatim byte at or after `at` (else before it), to
    /// place a finding on the right line.
    pub fn nearest_file_offset(&self, at: usize) -> Option<usize> {
        let at = at.min(self.origin.len());
        self.origin[at..]
            .iter()
            .flatten()
            .next()
            .or_else(|| self.origin[..at].iter().rev().flatten().next())
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::Confidence;

    /// `"SELECT user_name " + "FROM users WHERE id = " + id` as a region.
    fn concatenated() -> Region {
        let mut r = Region::new();
        r.push_verbatim("SELECT user_name ", 1);
        r.push_synthetic("");
        r.push_verbatim("FROM users WHERE id = ", 23);
        r.push_synthetic("?");
        r
    }

    #[test]
    fn verbatim_spans_map_and_joins_refuse() {
        let r = concatenated();
        assert_eq!(r.text(), "SELECT user_name FROM users WHERE id = ?");
        assert_eq!(r.map_span(7, 16), Some((8, 17)));
        assert_eq!(r.map_span(22, 27), Some((28, 33)));
        assert_eq!(r.map_span(15, 19), None, "straddles the join");
        assert_eq!(r.map_span(39, 40), None, "the placeholder has no origin");
        assert_eq!(
            r.map_span(17, 17),
            Some((23, 23)),
            "an insertion where two pieces meet lands in the second"
        );
        assert_eq!(r.map_span(39, 39), Some((45, 45)), "an insertion before a placeholder ends the piece");
    }

    #[test]
    fn unmappable_edits_become_findings() {
        let r = concatenated();
        let mut out = RuleOutput::default();
        out.edit((7, 16), "username AS user_name", "sql/rename-column", 0, Confidence::Certain);
        out.edit((15, 19), "x", "sql/rename-column", 0, Confidence::Certain);
        let quote_free = |s: &str| {
            if s.contains('"') {
                Err(EscapeError("quotes".to_string()))
            } else {
                Ok(s.to_string())
            }
        };
        let mapped = r.map_output(out, &quote_free, (0, 50));
        assert_eq!(mapped.edits.len(), 1);
        assert_eq!((mapped.edits[0].start, mapped.edits[0].end), (8, 17));
        assert_eq!(mapped.findings.len(), 1);
        assert!(
            mapped.findings[0].message.contains("not written verbatim"),
            "{}",
            mapped.findings[0].message
        );
    }
}
