//! Byte spans: the half-open ranges edits, findings and mentions cover.

/// Bytes `[start, end)` of a file (or, inside a rule, of a region).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// The first byte.
    pub start: usize,
    /// One past the last byte; equal to `start` for an insertion point.
    pub end: usize,
}

impl Span {
    /// The span `[start, end)`.
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// Does this span cover every byte of `other`?
    pub fn covers(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// Crates that compute spans as `(start, end)` pairs pass them as they are.
impl From<(usize, usize)> for Span {
    fn from((start, end): (usize, usize)) -> Self {
        Span { start, end }
    }
}

impl From<Span> for (usize, usize) {
    fn from(span: Span) -> Self {
        (span.start, span.end)
    }
}

#[cfg(test)]
mod tests {
    use super::Span;

    #[test]
    fn covers_and_converts() {
        let outer = Span::from((2, 10));
        assert!(outer.covers(Span::new(2, 10)));
        assert!(outer.covers(Span::new(4, 4)));
        assert!(!outer.covers(Span::new(1, 3)));
        assert_eq!(<(usize, usize)>::from(outer), (2, 10));
    }
}
