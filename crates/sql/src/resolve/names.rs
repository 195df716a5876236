//! Identifiers as written in code: their value, quoting and byte span, and how to write a
//! new name in the same style.

use crate::dialect::write_new;
use ripple_core::{Dialect, Ident, TableName};

/// One name part found in code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePart {
    /// Unquoted value.
    pub value: String,
    /// The opening quote (`"`, `` ` ``, `[`), if quoted.
    pub quote: Option<char>,
    /// Byte span of the token, quotes included.
    pub span: (usize, usize),
    /// Quoted in a dialect known to fold unquoted names to upper case (Snowflake): the
    /// name denotes an unquoted one only when it spells that name in upper case.
    pub exact: bool,
}

impl NamePart {
    /// Reads a token (`users`, `"Users"`, `` `users` ``, `[users]`) at `span`.
    pub fn from_token(token: &str, span: (usize, usize)) -> Self {
        for (open, close) in [('"', '"'), ('`', '`'), ('[', ']')] {
            if token.len() >= 2 && token.starts_with(open) && token.ends_with(close) {
                let inner = &token[1..token.len() - 1];
                let doubled = format!("{close}{close}");
                return NamePart {
                    value: inner.replace(&doubled, &close.to_string()),
                    quote: Some(open),
                    span,
                    exact: false,
                };
            }
        }
        NamePart { value: token.to_string(), quote: None, span, exact: false }
    }

    pub fn quoted(&self) -> bool {
        self.quote.is_some()
    }

    /// Does this name denote `ident` (the change's name)?
    pub fn is(&self, ident: &Ident) -> bool {
        if self.exact && !ident.quoted {
            return self.value == ident.value.to_uppercase();
        }
        if self.quoted() && !ident.quoted {
            // A quoted name is case-sensitive: it denotes an unquoted one only as a
            // dialect folds it (lower case in Postgres, upper case in Snowflake).
            return self.value == ident.value
                || self.value == ident.value.to_lowercase()
                || self.value == ident.value.to_uppercase();
        }
        ident.matches(&self.value, self.quoted())
    }

    /// Do two names found in code denote the same thing?
    pub fn same(&self, other: &NamePart) -> bool {
        if self.quoted() && other.quoted() {
            self.value == other.value
        } else {
            self.value.eq_ignore_ascii_case(&other.value)
        }
    }

    /// As `(text, quoted)` for `TableName::matches_parts`.
    pub fn as_ref_part(&self) -> (&str, bool) {
        (&self.value, self.quoted())
    }
}

/// Writes `new` in the quoting style of `like`: a quoted name stays quoted with the same
/// quote character, an unquoted one stays unquoted unless the new name must be quoted in
/// `dialect` (a reserved word, not a plain identifier) or was quoted in the change file.
pub fn render(new: &Ident, like: &NamePart, dialect: Dialect) -> String {
    match like.quote {
        Some(open) => {
            let close = if open == '[' { ']' } else { open };
            // A quoted upper-case name spells an unquoted one as Snowflake folds it
            // (`"USER_NAME"`): the new name is folded the same way.
            let folded = !new.quoted
                && like.value.bytes().any(|b| b.is_ascii_uppercase())
                && !like.value.bytes().any(|b| b.is_ascii_lowercase());
            let value = if folded { new.value.to_uppercase() } else { new.value.clone() };
            let escaped = value.replace(close, &format!("{close}{close}"));
            format!("{open}{escaped}{close}")
        }
        None => write_new(new, dialect),
    }
}

/// Parts of a table name as `(text, quoted)`.
pub fn ref_parts(parts: &[NamePart]) -> Vec<(&str, bool)> {
    parts.iter().map(NamePart::as_ref_part).collect()
}

/// Human form of a name found in code, for messages.
pub fn display_parts(parts: &[NamePart]) -> String {
    parts.iter().map(|p| p.value.as_str()).collect::<Vec<_>>().join(".")
}

/// The qualifiers of a table name (every part but the last), compared case-insensitively
/// unless quoted.
pub fn same_qualifiers(a: &TableName, b: &TableName) -> bool {
    let (qa, qb) = (&a.parts[..a.parts.len().saturating_sub(1)], &b.parts[..b.parts.len().saturating_sub(1)]);
    qa.len() == qb.len() && qa.iter().zip(qb).all(|(x, y)| x.matches(&y.value, y.quoted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_rendering() {
        let q = NamePart::from_token("\"user_name\"", (0, 11));
        assert_eq!(q.value, "user_name");
        assert_eq!(render(&Ident::new("username"), &q, Dialect::Generic), "\"username\"");
        let b = NamePart::from_token("`users`", (0, 7));
        assert_eq!(render(&Ident::new("customers"), &b, Dialect::Generic), "`customers`");
        let upper = NamePart::from_token("\"USER_NAME\"", (0, 11));
        assert_eq!(render(&Ident::new("full_name"), &upper, Dialect::Snowflake), "\"FULL_NAME\"");
        assert_eq!(render(&Ident::parse("\"FullName\""), &upper, Dialect::Snowflake), "\"FullName\"");
        let s = NamePart::from_token("[users]", (0, 7));
        assert_eq!(render(&Ident::new("a]b"), &s, Dialect::Generic), "[a]]b]");
        let plain = NamePart::from_token("USERS", (0, 5));
        assert!(plain.is(&Ident::new("users")));
        assert_eq!(render(&Ident::parse("\"Customers\""), &plain, Dialect::Generic), "\"Customers\"");
    }
}
