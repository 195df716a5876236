//! The prefilter: one case-insensitive, word-bounded, multi-pattern scan for every name
//! the change set touches. A file it rejects is never parsed.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// One occurrence of a watched name in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    /// Index into [`NameMatcher::names`].
    pub name: usize,
}

#[derive(Debug, Clone)]
pub struct NameMatcher {
    names: Vec<String>,
    automaton: Option<AhoCorasick>,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

impl NameMatcher {
    /// `names` are matched ASCII-case-insensitively as whole words.
    pub fn new(names: Vec<String>) -> Self {
        let names: Vec<String> = names.into_iter().filter(|n| !n.is_empty()).collect();
        let automaton = if names.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&names)
                    .expect("a handful of names always builds"),
            )
        };
        NameMatcher { names, automaton }
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    fn bounded(bytes: &[u8], start: usize, end: usize) -> bool {
        (start == 0 || !is_word_byte(bytes[start - 1])) && (end == bytes.len() || !is_word_byte(bytes[end]))
    }

    /// Does `bytes` mention any watched name? Stops at the first one.
    pub fn is_relevant(&self, bytes: &[u8]) -> bool {
        let Some(ac) = &self.automaton else { return false };
        ac.find_overlapping_iter(bytes).any(|m| Self::bounded(bytes, m.start(), m.end()))
    }

    /// Every word-bounded occurrence of a watched name, in order.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        let Some(ac) = &self.automaton else { return Vec::new() };
        let bytes = text.as_bytes();
        ac.find_overlapping_iter(bytes)
            .filter(|m| Self::bounded(bytes, m.start(), m.end()))
            .map(|m| Mention { start: m.start(), end: m.end(), name: m.pattern().as_usize() })
            .collect()
    }

    /// Is `word` (a whole identifier) one of the watched names?
    pub fn is_watched(&self, word: &str) -> bool {
        self.names.iter().any(|n| n.eq_ignore_ascii_case(word))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_bounded_and_case_insensitive() {
        let m = NameMatcher::new(vec!["users".into(), "user_name".into()]);
        assert!(m.is_relevant(b"select * from USERS"));
        assert!(m.is_relevant(b"x.user_name"));
        assert!(!m.is_relevant(b"select * from v_users"));
        assert!(!m.is_relevant(b"select users_x from t"));
        assert!(!m.is_relevant(b"user_names"));
        let found = m.mentions("users.user_name, v_users, Users");
        let spans: Vec<_> = found.iter().map(|x| (x.start, x.end)).collect();
        assert_eq!(spans, vec![(0, 5), (6, 15), (26, 31)]);
    }

    #[test]
    fn no_names_matches_nothing() {
        let m = NameMatcher::new(vec![]);
        assert!(!m.is_relevant(b"users"));
        assert!(m.mentions("users").is_empty());
    }
}
