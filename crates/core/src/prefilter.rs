//! The prefilter: one case-insensitive, word-bounded, multi-pattern scan for every name
//! the change set touches. A file it rejects is never parsed.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::cell::RefCell;

/// Texts up to this size take the fast path of [`NameMatcher::is_relevant`]; it bounds the
/// per-thread copy it keeps.
const FAST_PATH_MAX: usize = 1 << 20;

/// One occurrence of a watched name in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// Its first byte.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// Index into [`NameMatcher::names`].
    pub name: usize,
}

/// Finds the names a change set watches in a text.
#[derive(Debug, Clone)]
pub struct NameMatcher {
    /// The watched names, then the host spellings (see [`NameMatcher::with_spellings`]).
    names: Vec<String>,
    /// How many of `names` are watched names proper.
    watched: usize,
    automaton: Option<AhoCorasick>,
    /// The names ASCII-lower-cased, matched case-sensitively and leftmost-longest in an
    /// ASCII-lower-cased copy of the text: unlike the case-insensitive overlapping search, this
    /// uses aho-corasick's SIMD prefilter and runs several times faster. Only built when every
    /// name is made of word bytes, where it finds a bounded mention exactly when the
    /// overlapping search does (see `is_relevant`).
    lowered: Option<AhoCorasick>,
}

/// Can `b` be part of an identifier-like word? Bytes of non-ASCII characters are.
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

impl NameMatcher {
    /// `names` are matched ASCII-case-insensitively as whole words.
    pub fn new(names: Vec<String>) -> Self {
        Self::with_spellings(names, Vec::new())
    }

    /// A matcher that also takes `spellings` into account for [`NameMatcher::is_relevant`]
    /// only: the forms host code derives from a name without spelling it (`userName` or
    /// `UserEvent` for `user_name` / `user_event`: an entity field, a model class). They make
    /// a file worth parsing; they are never mentions.
    pub fn with_spellings(names: Vec<String>, spellings: Vec<String>) -> Self {
        let names: Vec<String> = names.into_iter().filter(|n| !n.is_empty()).collect();
        let watched = names.len();
        let mut names = names;
        for s in spellings {
            if !s.is_empty() && !names.iter().any(|n| n.eq_ignore_ascii_case(&s)) {
                names.push(s);
            }
        }
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
        let lowered = if names.is_empty() || !names.iter().all(|n| n.bytes().all(is_word_byte)) {
            None
        } else {
            let lower: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
            Some(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&lower)
                    .expect("a handful of names always builds"),
            )
        };
        NameMatcher { names, watched, automaton, lowered }
    }

    /// The watched names.
    pub fn names(&self) -> &[String] {
        &self.names[..self.watched]
    }

    fn bounded(bytes: &[u8], start: usize, end: usize) -> bool {
        (start == 0 || !is_word_byte(bytes[start - 1])) && (end == bytes.len() || !is_word_byte(bytes[end]))
    }

    /// Does `bytes` mention any watched name? Stops at the first one.
    ///
    /// The fast path reports only non-overlapping leftmost-longest matches, and still finds a
    /// bounded occurrence whenever there is one, because all names are word bytes: a match
    /// starting inside an earlier reported match is preceded by a word byte, and a longer
    /// match at the same start is followed by one, so neither was bounded.
    pub fn is_relevant(&self, bytes: &[u8]) -> bool {
        thread_local! {
            static LOWERED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
        }
        match &self.lowered {
            Some(lowered) if bytes.len() <= FAST_PATH_MAX => LOWERED.with(|cell| {
                let mut text = cell.borrow_mut();
                text.clear();
                text.extend_from_slice(bytes);
                text.make_ascii_lowercase();
                lowered.find_iter(text.as_slice()).any(|m| Self::bounded(&text, m.start(), m.end()))
            }),
            _ => self.is_relevant_overlapping(bytes),
        }
    }

    fn is_relevant_overlapping(&self, bytes: &[u8]) -> bool {
        let Some(ac) = &self.automaton else { return false };
        ac.find_overlapping_iter(bytes).any(|m| Self::bounded(bytes, m.start(), m.end()))
    }

    /// Every word-bounded occurrence of a watched name, in order.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        let Some(ac) = &self.automaton else { return Vec::new() };
        let bytes = text.as_bytes();
        ac.find_overlapping_iter(bytes)
            .filter(|m| m.pattern().as_usize() < self.watched && Self::bounded(bytes, m.start(), m.end()))
            .map(|m| Mention { start: m.start(), end: m.end(), name: m.pattern().as_usize() })
            .collect()
    }

    /// Every word-bounded occurrence of a watched name or a host spelling, in order: what
    /// made the file relevant, and what a rule may act on.
    pub fn occurrences(&self, text: &str) -> Vec<Mention> {
        let Some(ac) = &self.automaton else { return Vec::new() };
        let bytes = text.as_bytes();
        ac.find_overlapping_iter(bytes)
            .filter(|m| Self::bounded(bytes, m.start(), m.end()))
            .map(|m| Mention { start: m.start(), end: m.end(), name: m.pattern().as_usize() })
            .collect()
    }

    /// Is `word` (a whole identifier) one of the watched names?
    pub fn is_watched(&self, word: &str) -> bool {
        self.names().iter().any(|n| n.eq_ignore_ascii_case(word))
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
    fn spellings_make_a_file_relevant_but_are_never_mentions() {
        let m = NameMatcher::with_spellings(vec!["user_name".into()], vec!["username".into()]);
        assert!(m.is_relevant(b"private String userName;"));
        assert!(m.mentions("private String userName;").is_empty());
        assert!(!m.is_watched("username"));
        assert_eq!(m.names(), ["user_name".to_string()]);
        assert_eq!(m.mentions("x.user_name").len(), 1);
    }

    /// The fast path of `is_relevant` agrees with the overlapping search on texts built to
    /// put names next to, inside and across each other.
    #[test]
    fn fast_path_agrees_with_overlapping_search() {
        let pieces = [
            "users",
            "USER_NAME",
            "user",
            "Users_",
            "_",
            " ",
            ".",
            "x",
            "9",
            "age",
            "pAge",
            "a",
            "é",
            "\"",
            "legacy_flag",
            "flag",
            "name",
            "\n",
        ];
        let name_sets: [&[&str]; 4] = [
            &["users", "user_name", "age", "legacy_flag"],
            &["user", "users", "user_name", "a"],
            &["Age", "age", "flag"],
            &["é", "name"],
        ];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for names in name_sets {
            let m = NameMatcher::new(names.iter().map(|n| n.to_string()).collect());
            assert!(m.lowered.is_some());
            for _ in 0..4000 {
                let len = next(9);
                let text: String = (0..len).map(|_| pieces[next(pieces.len())]).collect();
                let expected = m.is_relevant_overlapping(text.as_bytes());
                assert_eq!(m.is_relevant(text.as_bytes()), expected, "{names:?} in {text:?}");
            }
        }
        let spaced = NameMatcher::new(vec!["user name".into(), "users".into()]);
        assert!(spaced.lowered.is_none());
        assert!(spaced.is_relevant(b"x \"User Name\" y"));
    }

    #[test]
    fn no_names_matches_nothing() {
        let m = NameMatcher::new(vec![]);
        assert!(!m.is_relevant(b"users"));
        assert!(m.mentions("users").is_empty());
    }
}
