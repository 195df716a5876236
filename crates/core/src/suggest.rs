//! "Did you mean" hints for misspelled names in change files and rule files.

/// The candidate closest to `word` by optimal string alignment distance (a swap of two
/// neighbours counts once), ignoring ASCII case, if it is close enough to be a plausible
/// typo: at most one edit per three characters of the longer name, and never more than three.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| (strsim::osa_distance(&word, &c.to_ascii_lowercase()), *c))
        .filter(|(d, c)| *d <= (word.chars().count().max(c.chars().count()) / 3).clamp(1, 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// ` (did you mean `x`?)` for the closest candidate, or nothing: the tail of an
/// "unknown name" message.
pub fn hint(word: &str, candidates: &[&str]) -> String {
    closest(word, candidates).map(|c| format!(" (did you mean `{c}`?)")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{closest, hint};

    #[test]
    fn a_hint_names_the_closest_candidate_or_nothing() {
        assert_eq!(hint("tabel", &["table"]), " (did you mean `table`?)");
        assert_eq!(hint("zzz", &["table"]), "");
    }

    #[test]
    fn typos_get_the_nearest_name() {
        assert_eq!(closest("tabel", &["table", "column"]), Some("table"), "a swap counts once");
        assert_eq!(closest("rename_col", &["rename_column", "rename_table"]), Some("rename_column"));
        assert_eq!(closest("Confidense", &["confidence", "query"]), Some("confidence"));
        assert_eq!(closest("nme", &["name", "names"]), Some("name"));
    }

    #[test]
    fn distant_names_get_none() {
        assert_eq!(closest("add_column", &["rename_column", "drop_column"]), None);
        assert_eq!(closest("reason", &["table", "column"]), None);
    }
}
