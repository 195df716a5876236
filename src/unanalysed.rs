//! The safety net under the rules of every host language: every line that mentions a
//! changed name and that no rule accounted for is reported, so ripple says what it saw and
//! did not change. Strings need a look (review); comments, docstrings and host-language
//! names are reported for information. Where a mention stands is the host's to say.

use ripple_core::ancestors::Ancestors;
use ripple_core::host::{prose_at, Prose, ProseKind};
use ripple_core::position::LineIndex;
use ripple_core::prefilter::Mention;
use ripple_core::relevance;
use ripple_core::{Change, Host, Lang, Reason, Rule, RuleContext, RuleOutput, Severity, SourceFile, Span};
use std::sync::Arc;
use tree_sitter::Node;

pub struct UnanalysedMentions {
    host: Arc<dyn Host>,
    id: String,
}

impl UnanalysedMentions {
    pub fn new(host: Arc<dyn Host>) -> Self {
        let id = format!("{}/unanalysed-mention", host.lang().name());
        UnanalysedMentions { host, id }
    }
}

/// Where a mention stands, which decides how much it matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// A comment or a docstring: prose.
    Prose,
    /// A message for people (a log, print, exception or translated UI text), or a URL or
    /// file path: not a database name.
    Message,
    /// A Databricks notebook cell kept in comments (`# MAGIC %sql`): code ripple does not read.
    NotebookCell,
    /// A string literal no rule tied to SQL or to an API: it may still be a database name.
    Text,
    /// A string that is nothing but the name of a table whose columns change (and that is
    /// not itself renamed): a table reference, if anything, and one that stays as it is.
    TableOnly,
    /// An identifier of the host language (a variable, attribute, method): not a database name.
    Name,
    /// A string with a changed column's name in a file that never names its table.
    OutOfReach,
    /// A string that names a table whose name stays, and none of its changed columns.
    UnchangedTable,
}

fn place(host: &dyn Host, file: &SourceFile<'_>, ctx: &RuleContext<'_>, chain: &[Node<'_>]) -> Place {
    for &node in chain.iter().rev() {
        if host.is_comment(node) {
            let text = file.text.get(node.start_byte()..node.end_byte()).unwrap_or("");
            if host.is_notebook_cell(text) {
                return Place::NotebookCell;
            }
            return Place::Prose;
        }
        if host.is_docstring(node, chain) {
            return Place::Prose;
        }
        if host.is_text_literal(node) {
            let content = file.text.get(node.start_byte()..node.end_byte()).map(string_content).unwrap_or("");
            let path_like = is_path_like(content);
            return if names_unrenamed_table(ctx, content) {
                Place::TableOnly
            } else if path_like || host.is_message(node, chain, file.text) {
                Place::Message
            } else {
                Place::Text
            };
        }
    }
    Place::Name
}

/// A URL, or a file, template or route path (`/owners/new`, `vets/vetList`): no database
/// name is written so. A segment after a slash starts with a letter, so `amount/2` is not one.
fn is_path_like(content: &str) -> bool {
    if content.contains(char::is_whitespace) {
        return false;
    }
    if content.starts_with('/') || content.contains("://") {
        return true;
    }
    let mut segments = content.split('/');
    let first = segments.next().unwrap_or("");
    let word = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || "_-.{}".contains(c));
    let rest: Vec<&str> = segments.collect();
    word(first)
        && !rest.is_empty()
        && rest
            .iter()
            .all(|s| s.is_empty() || (word(s) && s.starts_with(|c: char| c.is_alphabetic() || c == '{')))
}

/// A string literal's text without prefix letters and quotes.
fn string_content(literal: &str) -> &str {
    literal.trim_start_matches(|c: char| c.is_ascii_alphabetic()).trim_matches(|c| c == '"' || c == '\'')
}

/// Is `text` (a whole string) the name of a changed table that no change renames, alone or
/// with a column that does not change (`ForeignKey("users.id")`)?
fn names_unrenamed_table(ctx: &RuleContext<'_>, text: &str) -> bool {
    if text.is_empty() || !text.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.') {
        return false;
    }
    let renamed = |name: &str| {
        ctx.changes
            .iter()
            .any(|(_, c)| matches!(c, Change::RenameTable { from, .. } if from.name().matches(name, false)))
    };
    let changed_table = |name: &str| ctx.changes.iter().any(|(_, c)| c.table().name().matches(name, false));
    let changed_column = |table: &str, column: &str| {
        ctx.changes.iter().any(|(_, c)| {
            c.table().name().matches(table, false) && c.column().is_some_and(|col| col.matches(column, false))
        })
    };
    let parts: Vec<&str> = text.split('.').collect();
    let last = parts[parts.len() - 1];
    if changed_table(last) {
        return !renamed(last);
    }
    // `table.column` with a column that keeps its name.
    parts.len() >= 2 && {
        let table = parts[parts.len() - 2];
        changed_table(table) && !renamed(table) && !changed_column(table, last)
    }
}

/// Is `word` the name of a changed table that no change renames?
fn is_changed_table(ctx: &RuleContext<'_>, word: &str) -> bool {
    let renamed = ctx
        .changes
        .iter()
        .any(|(_, c)| matches!(c, Change::RenameTable { from, .. } if from.name().matches(word, false)));
    !renamed && ctx.changes.iter().any(|(_, c)| c.table().name().matches(word, false))
}

/// The mentions on one line, of one kind: reported once, at the first of them.
struct LineMentions {
    line: usize,
    place: Place,
    first: Span,
    words: Vec<String>,
}

impl Rule for UnanalysedMentions {
    fn id(&self) -> &str {
        &self.id
    }

    fn language(&self) -> Lang {
        self.host.lang()
    }

    fn phase(&self) -> ripple_core::rule::Phase {
        ripple_core::rule::Phase::SafetyNet
    }

    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        let root = file.tree().root_node();
        let mut ancestors = Ancestors::new(root);
        let host = self.host.as_ref();
        self.report(file, ctx, out, &mut |m| {
            if m.start <= root.end_byte() {
                place(host, file, ctx, ancestors.at(m.start))
            } else {
                Place::Text
            }
        });
    }

    /// Every mention stands in a comment or docstring: the lexical pass tells where, as the
    /// tree would.
    fn run_on_prose(
        &self,
        file: &SourceFile<'_>,
        ctx: &RuleContext<'_>,
        prose: &[Prose],
        out: &mut RuleOutput,
    ) -> bool {
        let mut lost = false;
        self.report(file, ctx, out, &mut |m| match prose_at(prose, m.start, m.end) {
            Some(p)
                if p.kind == ProseKind::Comment && self.host.is_notebook_cell(&file.text[p.start..p.end]) =>
            {
                Place::NotebookCell
            }
            Some(_) => Place::Prose,
            None => {
                lost = true;
                Place::Text
            }
        });
        // The engine hands over only files whose every mention stands in prose.
        !lost
    }
}

impl UnanalysedMentions {
    /// Reports the mentions no rule accounted for, each where `place_of` says it stands.
    fn report(
        &self,
        file: &SourceFile<'_>,
        ctx: &RuleContext<'_>,
        out: &mut RuleOutput,
        place_of: &mut dyn FnMut(&Mention) -> Place,
    ) {
        let index = LineIndex::new(file.text);
        // Migrations record what was applied (Alembic, Django): never a consumer to update.
        let historical = ripple_sql::is_migration_file(file.path);
        let mut lines: Vec<LineMentions> = Vec::new();
        for m in file.mentions(ctx.names) {
            if out.accounts_for(m.start, m.end) {
                continue;
            }
            let word = file.text[m.start..m.end].to_string();
            let line = index.line_col(m.start).0;
            let prose = place_of(m);
            // Mentions come in file order: entries of this line are the last ones.
            let mut this_line = lines.iter_mut().rev().take_while(|l| l.line == line);
            match this_line.find(|l| l.place == prose) {
                Some(entry) if !entry.words.contains(&word) => entry.words.push(word),
                Some(_) => {}
                None => lines.push(LineMentions {
                    line,
                    place: prose,
                    first: Span { start: m.start, end: m.end },
                    words: vec![word],
                }),
            }
        }
        for LineMentions { place: prose, first: span, words, .. } in lines {
            // A string is worth a look only when it is about the changed dataset.
            let words_of: Vec<&str> = words.iter().map(String::as_str).collect();
            let about = relevance::change_about(ctx.changes, &words_of, file.text, true);
            let prose = match prose {
                Place::Text if about.is_none() && words.iter().all(|w| is_changed_table(ctx, w)) => {
                    Place::UnchangedTable
                }
                Place::Text if about.is_none() => Place::OutOfReach,
                prose => prose,
            };
            let change = about.or_else(|| {
                ctx.changes.iter().find_map(|(i, c)| {
                    let hit = |w: &String| {
                        c.table().name().value.eq_ignore_ascii_case(w)
                            || c.column().is_some_and(|col| col.value.eq_ignore_ascii_case(w))
                    };
                    words.iter().any(hit).then_some(i)
                })
            });
            let names = words.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ");
            let lang = self.host.lang().name();
            let (severity, reason, message) = match prose {
                _ if historical => (
                    Severity::Info,
                    Reason::Historical,
                    format!("{names} mentioned in a historical migration; left as written"),
                ),
                Place::Prose => (Severity::Info,
                    Reason::Comment, format!("{names} mentioned in a comment or docstring; left as written")),
                Place::Name => (
                    Severity::Info,
                    Reason::HostName,
                    format!("{names} used as a {lang} name (a variable, attribute or method), not as a database name; left as written"),
                ),
                Place::Message => (
                    Severity::Info,
                    Reason::Comment,
                    format!("{names} in a message for people or a path, not a database name; left as written"),
                ),
                Place::NotebookCell => (
                    Severity::Review,
                    Reason::Unparsed,
                    format!("{names} in a Databricks notebook cell (`# MAGIC`), which ripple does not rewrite: check it by hand"),
                ),
                Place::TableOnly => (
                    Severity::Info,
                    Reason::UnchangedName,
                    format!("{names}: a string that names the table (alone, or with a column that keeps its name), whose columns change but whose name stays; left as written"),
                ),
                Place::UnchangedTable => (
                    Severity::Info,
                    Reason::UnchangedName,
                    format!("{names} in a {lang} string: a table whose name stays (only its columns change), with none of its changed columns; left as written"),
                ),
                Place::OutOfReach => (
                    Severity::Info,
                    Reason::OutOfReach,
                    format!("{names} in a {lang} string in a file that never names its table (nor a model of it): most likely another table's; left as written"),
                ),
                Place::Text => (
                    Severity::Review,
                    Reason::UntiedString,
                    format!("{names} in a {lang} string that ripple could not tie to SQL or to a known API: check it by hand"),
                ),
            };
            out.finding_for(reason, span, &self.id, change, severity, message);
        }
    }
}
