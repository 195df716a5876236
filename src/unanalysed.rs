//! Until a language's rules cover it, every line of its files that mentions a changed name
//! and that no rule accounted for is reported: ripple says what it saw and did not change. Mentions in comments and
//! docstrings are prose (info); anything else needs a look (review).

use ripple_core::position::LineIndex;
use ripple_core::{Lang, Rule, RuleContext, RuleOutput, Severity, SourceFile};
use tree_sitter::Node;

pub struct UnanalysedMentions {
    lang: Lang,
    id: String,
}

impl UnanalysedMentions {
    pub fn new(lang: Lang) -> Self {
        UnanalysedMentions { lang, id: format!("{}/unanalysed-mention", lang.name()) }
    }
}

/// Is the node at `offset` part of a comment or a docstring?
fn is_prose(file: &SourceFile<'_>, offset: usize) -> bool {
    let root = file.tree().root_node();
    let Some(mut node) = root.descendant_for_byte_range(offset, offset) else { return false };
    loop {
        let kind = node.kind();
        if kind.contains("comment") {
            return true;
        }
        if kind == "string" && is_docstring(node) {
            return true;
        }
        match node.parent() {
            Some(p) => node = p,
            None => return false,
        }
    }
}

/// A Python string that is a statement of its own at the start of a module, class or
/// function body.
fn is_docstring(string: Node<'_>) -> bool {
    let Some(stmt) = string.parent().filter(|p| p.kind() == "expression_statement") else { return false };
    let Some(body) = stmt.parent() else { return false };
    matches!(body.kind(), "module" | "block")
        && body.named_child(0).is_some_and(|first| first.id() == stmt.id())
}

/// The mentions on one line, of one kind: (line, in prose, first span, words).
type LineMentions = (usize, bool, (usize, usize), Vec<String>);

impl Rule for UnanalysedMentions {
    fn id(&self) -> &str {
        &self.id
    }

    fn language(&self) -> Lang {
        self.lang
    }

    fn is_fallback(&self) -> bool {
        true
    }

    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        let index = LineIndex::new(file.text);
        let mut lines: Vec<LineMentions> = Vec::new();
        for m in ctx.names.mentions(file.text) {
            if out.accounts_for(m.start, m.end) {
                continue;
            }
            let word = file.text[m.start..m.end].to_string();
            let line = index.line_col(m.start).0;
            let prose = is_prose(file, m.start);
            match lines.iter_mut().find(|(l, p, _, _)| *l == line && *p == prose) {
                Some(entry) if !entry.3.contains(&word) => entry.3.push(word),
                Some(_) => {}
                None => lines.push((line, prose, (m.start, m.end), vec![word])),
            }
        }
        for (_, prose, span, words) in lines {
            let change = ctx.changes.iter().find_map(|(i, c)| {
                let hit = |w: &String| {
                    c.table().name().value.eq_ignore_ascii_case(w)
                        || c.column().is_some_and(|col| col.value.eq_ignore_ascii_case(w))
                };
                words.iter().any(hit).then_some(i)
            });
            let names = words.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ");
            let (severity, message) = if prose {
                (Severity::Info, format!("{names} mentioned in a comment or docstring; left as written"))
            } else {
                (
                    Severity::Review,
                    format!(
                        "{names} mentioned in {} code, which ripple does not analyse yet: check this line by hand",
                        self.lang.name()
                    ),
                )
            };
            out.finding(span, &self.id, change, severity, message);
        }
    }
}
