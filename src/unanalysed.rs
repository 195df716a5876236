//! The safety net under the Python and Java rules: every line that mentions a changed name
//! and that no rule accounted for is reported, so ripple says what it saw and did not
//! change. Strings need a look (review); comments, docstrings and host-language names are
//! reported for information.

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

/// Where a mention stands, which decides how much it matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// A comment or a docstring: prose.
    Prose,
    /// A string literal no rule tied to SQL or to an API: it may still be a database name.
    Text,
    /// An identifier of the host language (a variable, attribute, method): not a database name.
    Name,
}

fn place(file: &SourceFile<'_>, offset: usize) -> Place {
    let root = file.tree().root_node();
    let Some(mut node) = root.descendant_for_byte_range(offset, offset) else { return Place::Text };
    loop {
        let kind = node.kind();
        if kind.contains("comment") {
            return Place::Prose;
        }
        if kind == "string" && is_docstring(node) {
            return Place::Prose;
        }
        if matches!(kind, "string" | "string_literal" | "text_block" | "character_literal") {
            return Place::Text;
        }
        match node.parent() {
            Some(p) => node = p,
            None => return Place::Name,
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

/// The mentions on one line, of one kind: (line, place, first span, words).
type LineMentions = (usize, Place, (usize, usize), Vec<String>);

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
        // Migrations record what was applied (Alembic, Django): never a consumer to update.
        let historical = ripple_sql::rules::analysis::is_migration_file(file.path);
        let mut lines: Vec<LineMentions> = Vec::new();
        for m in file.mentions(ctx.names) {
            if out.accounts_for(m.start, m.end) {
                continue;
            }
            let word = file.text[m.start..m.end].to_string();
            let line = index.line_col(m.start).0;
            let prose = place(file, m.start);
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
            let lang = self.lang.name();
            let (severity, message) = match prose {
                _ if historical => (
                    Severity::Info,
                    format!("{names} mentioned in a historical migration; left as written"),
                ),
                Place::Prose => (Severity::Info, format!("{names} mentioned in a comment or docstring; left as written")),
                Place::Name => (
                    Severity::Info,
                    format!("{names} used as a {lang} name (a variable, attribute or method), not as a database name; left as written"),
                ),
                Place::Text => (
                    Severity::Review,
                    format!("{names} in a {lang} string that ripple could not tie to SQL or to a known API: check it by hand"),
                ),
            };
            out.finding(span, &self.id, change, severity, message);
        }
    }
}
