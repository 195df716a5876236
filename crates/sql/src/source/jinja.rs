//! dbt/Jinja masking: `{{ ... }}` becomes an identifier-like run of underscores so that
//! `FROM {{ ref('users') }}` still parses as a table; `{% ... %}` and `{# ... #}` become
//! spaces. Placeholders have the byte length of what they replace and keep its newlines,
//! so offsets and line numbers stay exact.

use ripple_core::{Ident, TableName};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// `{{ ... }}`
    Expression,
    /// `{% ... %}`
    Statement,
    /// `{# ... #}`
    Comment,
}

/// One masked Jinja block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub start: usize,
    pub end: usize,
    pub kind: BlockKind,
    /// The table a `{{ ref('x') }}` (`x`) or `{{ source('s', 'x') }}` (`s.x`) names.
    pub table: Option<TableName>,
    /// `{{ this }}`: the relation of the model the file defines.
    pub this: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Masked {
    pub text: String,
    pub blocks: Vec<Block>,
}

impl Masked {
    /// The block exactly covering `[start, end)`, if any.
    pub fn block_at(&self, start: usize, end: usize) -> Option<&Block> {
        self.blocks.iter().find(|b| b.start == start && b.end == end)
    }

    /// Does `[start, end)` overlap any Jinja block?
    pub fn touches(&self, start: usize, end: usize) -> bool {
        self.blocks.iter().any(|b| b.start < end && start < b.end)
    }
}

/// Masks every Jinja block of `text`. An unterminated block is left as it is: the
/// statement around it will not parse, which is reported.
pub fn mask(text: &str) -> Masked {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i + 1 < b.len() {
        let kind = match (b[i], b[i + 1]) {
            (b'{', b'{') => BlockKind::Expression,
            (b'{', b'%') => BlockKind::Statement,
            (b'{', b'#') => BlockKind::Comment,
            _ => {
                i += 1;
                continue;
            }
        };
        let close: &[u8] = match kind {
            BlockKind::Expression => b"}}",
            BlockKind::Statement => b"%}",
            BlockKind::Comment => b"#}",
        };
        let Some(p) = b[i + 2..].windows(2).position(|w| w == close) else {
            break;
        };
        let end = i + 2 + p + 2;
        let renders_empty = kind == BlockKind::Expression && is_config(&text[i + 2..end - 2]);
        let fill = if kind == BlockKind::Expression && !renders_empty { b'_' } else { b' ' };
        for c in &mut out[i..end] {
            if *c != b'\n' && *c != b'\r' {
                *c = fill;
            }
        }
        let expr = &text[i + 2..end - 2];
        let table = if kind == BlockKind::Expression { table_of(expr) } else { None };
        let this = kind == BlockKind::Expression
            && expr.trim_matches(|c: char| c == '-' || c.is_whitespace()) == "this";
        blocks.push(Block { start: i, end, kind, table, this });
        i = end;
    }
    // Only ASCII bytes were written over whole blocks, so the result is UTF-8.
    let text = String::from_utf8(out).unwrap_or_else(|_| text.to_string());
    Masked { text, blocks }
}

/// `{{ config(...) }}` sets model options and renders to nothing.
fn is_config(expr: &str) -> bool {
    let e = expr.trim().trim_start_matches('-').trim_start();
    e.strip_prefix("config").is_some_and(|r| r.trim_start().starts_with('('))
}

/// The table named by a Jinja expression that is exactly `ref('x')`, `ref('pkg', 'x')` or
/// `source('s', 'x')` (whitespace-control dashes allowed).
fn table_of(expr: &str) -> Option<TableName> {
    let expr = expr.trim().trim_start_matches('-').trim_end_matches('-').trim();
    let (func, rest) = expr.split_once('(')?;
    let args = rest.trim_end().strip_suffix(')')?;
    let mut parts = Vec::new();
    for arg in args.split(',') {
        let a = arg.trim();
        let unq = a
            .strip_prefix('\'')
            .and_then(|s| s.strip_suffix('\''))
            .or_else(|| a.strip_prefix('"').and_then(|s| s.strip_suffix('"')))?;
        if unq.is_empty() || unq.contains(['\'', '"']) {
            return None;
        }
        parts.push(unq.to_string());
    }
    match (func.trim(), parts.len()) {
        // A two-argument ref names a package first; the model is the table.
        ("ref", 1 | 2) => Some(TableName { parts: vec![Ident::new(parts.pop()?)] }),
        ("source", 2) => Some(TableName { parts: parts.into_iter().map(Ident::new).collect() }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_length_and_newlines() {
        let t = "select id from {{ ref('users') }} u\n{% if x %}\nwhere a = 1 {# note\nmore #}\n{% endif %}";
        let m = mask(t);
        assert_eq!(m.text.len(), t.len());
        assert_eq!(
            m.text,
            "select id from __________________ u\n          \nwhere a = 1        \n       \n           "
        );
        assert_eq!(m.blocks.len(), 4);
        assert_eq!(m.blocks[0].table, Some(TableName::parse("users")));
        assert_eq!(m.blocks[1].kind, BlockKind::Statement);
        assert_eq!(m.blocks[2].kind, BlockKind::Comment);
        assert_eq!(t.lines().count(), m.text.lines().count());
    }

    #[test]
    fn multiline_expression_keeps_its_newline() {
        let m = mask("a {{\n x }} b");
        assert_eq!(m.text, "a __\n_____ b");
    }

    #[test]
    fn ref_and_source_name_tables() {
        assert_eq!(table_of(" ref('users') "), Some(TableName::parse("users")));
        assert_eq!(table_of("- ref(\"pkg\", \"users\") -"), Some(TableName::parse("users")));
        assert_eq!(table_of(" source('app', 'users') "), Some(TableName::parse("app.users")));
        assert_eq!(table_of(" var('users') "), None);
        assert_eq!(table_of(" ref('users') | upper "), None);
        assert_eq!(table_of(" ref(model_name) "), None);
        assert_eq!(table_of(" this "), None);
    }

    #[test]
    fn unterminated_block_is_left_alone() {
        let m = mask("select {{ x from t");
        assert_eq!(m.text, "select {{ x from t");
        assert!(m.blocks.is_empty());
    }

    #[test]
    fn multibyte_text_inside_blocks_is_masked_bytewise() {
        let t = "select {{ 'é' }} from t";
        let m = mask(t);
        assert_eq!(m.text.len(), t.len());
        assert!(m.text.starts_with("select ___"));
    }

    #[test]
    fn touches_and_block_at() {
        let m = mask("x {{ ref('a') }} y");
        assert!(m.touches(3, 4));
        assert!(!m.touches(0, 2));
        assert!(m.block_at(2, 16).is_some());
    }
}
