//! Suppression comments: `ripple: ignore` (every rule) or `ripple: ignore[rule-id, ...]` in a
//! comment of the file's language, on the line of a finding or an edit or on the line
//! above, takes it out of the plan. The comment opens the comment (`-- ripple: ignore`,
//! `# ripple: ignore[python/unanalysed-mention]`), so text that only quotes the words does
//! not count.

use crate::lang::Lang;

/// The words a suppression comment starts with.
const MARKER: &str = "ripple: ignore";

/// The suppression comments of one file, by line.
#[derive(Debug, Default)]
pub struct Suppressions {
    /// 1-based line, and the rule ids it names (empty: every rule).
    lines: Vec<(usize, Vec<String>)>,
}

impl Suppressions {
    /// Finds the suppression comments of `text`, a file of `lang`.
    pub fn of(lang: Lang, text: &str) -> Self {
        if !text.contains(MARKER) {
            return Suppressions::default();
        }
        let lines = text
            .lines()
            .enumerate()
            .filter_map(|(i, line)| comment_rules(lang, line).map(|rules| (i + 1, rules)))
            .collect();
        Suppressions { lines }
    }

    /// Are there none?
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Is `rule` suppressed at `line` (by a comment on it or on the line above)?
    pub fn covers(&self, line: usize, rule: &str) -> bool {
        self.lines.iter().any(|(at, rules)| {
            (*at == line || *at + 1 == line) && (rules.is_empty() || rules.iter().any(|r| r == rule))
        })
    }
}

/// The comment openers of a language in which a suppression comment may stand: SQL's `--`
/// and `/*` (and Jinja's `{#` in dbt models), Python's and YAML's `#`, Java's `//` and `/*`,
/// and XML's `<!--` wherever XML is embedded (MyBatis mappers: XML around SQL).
fn openers(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Sql => &["--", "/*", "{#", "<!--"],
        Lang::Python | Lang::Yaml => &["#"],
        Lang::Java => &["//", "/*", "<!--"],
        Lang::MyBatis => &["<!--", "--", "/*"],
        // CSV has no comments.
        Lang::Csv => &[],
    }
}

/// The rule ids a suppression comment on `line` names (empty for every rule), if it has one.
fn comment_rules(lang: Lang, line: &str) -> Option<Vec<String>> {
    let at = line.find(MARKER)?;
    // The comment's opener, then only its decoration: `-- `, `#`, `/** `, `{#- `.
    let before = &line[..at];
    let opens = |o: &&str| {
        before.rfind(*o).is_some_and(|i| before[i + o.len()..].chars().all(|c| "*-!# ".contains(c)))
    };
    if !openers(lang).iter().any(opens) {
        return None;
    }
    let rest = &line[at + MARKER.len()..];
    if rest.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
        return None; // `ripple: ignored`: another word.
    }
    let Some(list) = rest.strip_prefix('[') else { return Some(Vec::new()) };
    let list = &list[..list.find(']')?];
    Some(list.split(',').map(|r| r.trim().to_string()).filter(|r| !r.is_empty()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_of_every_language() {
        let sql = "SELECT a -- ripple: ignore\nFROM t; /* ripple: ignore[sql/select-star] */\n{# ripple: ignore #}\n";
        let s = Suppressions::of(Lang::Sql, sql);
        assert!(s.covers(1, "sql/rename-column") && s.covers(2, "sql/rename-column"));
        assert!(s.covers(3, "sql/select-star") && s.covers(4, "any"));
        assert!(Suppressions::of(Lang::Python, "x = 1  # ripple: ignore[python/a, python/b]\n")
            .covers(1, "python/b"));
        assert!(Suppressions::of(Lang::Java, "// ripple: ignore\nString s;\n").covers(2, "java/x"));
        assert!(Suppressions::of(Lang::Java, "<!-- ripple: ignore -->\n").covers(1, "java/x"));
    }

    #[test]
    fn look_alikes_do_not_suppress() {
        assert!(Suppressions::of(Lang::Python, "s = \"ripple: ignore\"\n").is_empty());
        assert!(Suppressions::of(Lang::Python, "# ripple: ignored here\n").is_empty());
        assert!(Suppressions::of(Lang::Sql, "# ripple: ignore\n").is_empty());
        let s = Suppressions::of(Lang::Sql, "-- ripple: ignore[sql/select-star]\nSELECT *;\n\nSELECT 1;\n");
        assert!(!s.covers(2, "sql/rename-column") && s.covers(2, "sql/select-star"));
        assert!(!s.covers(3, "sql/select-star"), "only the line and the one below");
    }
}
