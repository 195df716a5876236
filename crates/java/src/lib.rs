//! ripple's Java support: the SQL inside Java strings (literals, concatenations, constants,
//! text blocks, native query annotations), carried through the SQL resolver and mapped back
//! byte for byte; and the JDBC code that reads a query's results and binds its parameters.
//! APIs that name tables and columns directly (JPA annotations) are rule files under
//! `rules/java/`.
//!
//! Java plugs into ripple as a [`Host`]: see [`Java`].

#![warn(missing_docs)]

mod embedded;
mod entity;
mod host;
pub mod ids;
mod jdbc;
mod mybatis;
mod mybatis_results;
mod property_names;
mod prose;
mod query;
mod region;
mod spring_data;
mod sql;
mod strings;
mod syntax;
mod types;

use ripple_core::Host;
use std::sync::Arc;

pub use host::Java;
pub use mybatis::MyBatis;

/// The id of the embedded-SQL rule, under which JPQL strings and JDBC follow-ups are reported.
pub const RULE: &str = ids::EMBEDDED_SQL.id;

/// The Java host.
pub fn host() -> Arc<dyn Host> {
    Arc::new(Java)
}

/// The host of MyBatis XML mappers.
pub fn mybatis_host() -> Arc<dyn Host> {
    Arc::new(MyBatis)
}

/// Parameters the SQL parser does not read, as text of the same length it does, so the SQL
/// parses and offsets stay: JPA's numbered parameters (`?1`) as `?`, a list parameter after
/// `IN` (`IN ?1`, `IN :ids`) as `IN(?)`, SpEL expressions (`:#{...}`, `?#{...}`) and MyBatis
/// parameters (`#{...}`) as `?`, MyBatis substitutions (`${...}`) as an opaque name.
pub(crate) fn mask_params(text: &str) -> String {
    let mut out = text.as_bytes().to_vec();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let brace = |at: usize| b.get(at) == Some(&b'{');
        let close = |from: usize| b[from..].iter().position(|&c| c == b'}').map(|p| from + p + 1);
        let end = match b[i] {
            b':' | b'?' if b.get(i + 1) == Some(&b'#') && brace(i + 2) => close(i + 3).map(|e| (e, b'?')),
            b'#' if brace(i + 1) => close(i + 2).map(|e| (e, b'?')),
            b'$' if brace(i + 1) => close(i + 2).map(|e| (e, b'_')),
            b'?' => {
                let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
                Some((i + 1 + digits, b'?'))
            }
            b':' if i > 0
                && b[i - 1].is_ascii_whitespace()
                && b.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic()) =>
            {
                let name = b[i + 1..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count();
                Some((i + 1 + name, b':'))
            }
            _ => None,
        };
        let Some((end, kind)) = end else {
            i += 1;
            continue;
        };
        let after_in = i >= 3 && b[i - 1].is_ascii_whitespace() && {
            let before = text[..i].trim_end();
            before.len() >= 2
                && before.as_bytes()[before.len() - 2..].eq_ignore_ascii_case(b"in")
                && !before
                    .as_bytes()
                    .get(before.len().wrapping_sub(3))
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        };
        if after_in && end - i >= 2 {
            // `IN ?1` → `IN(?)`: the blank before the parameter opens the list.
            out[i - 1] = b'(';
            out[i] = b'?';
            out[i + 1] = b')';
            out[i + 2..end].fill(b' ');
        } else if kind == b':' {
            // A named parameter outside a list is the SQL parser's to mask.
        } else {
            out[i] = if kind == b'_' { b'_' } else { b'?' };
            out[i + 1..end].fill(if kind == b'_' { b'_' } else { b' ' });
        }
        i = end;
    }
    // Only ASCII bytes were written over ASCII bytes.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::mask_params;

    #[test]
    fn parameters_mask_to_the_same_length() {
        let cases = [
            ("WHERE a = ?1 AND b IN ?2", "WHERE a = ?  AND b IN(?)"),
            ("WHERE b in :ids AND c = :c", "WHERE b in(?)   AND c = :c"),
            ("WHERE n = :#{#u.name} AND m = ?#{[0]}", "WHERE n = ?           AND m = ?      "),
            ("WHERE n = #{name} ORDER BY ${col}", "WHERE n = ?       ORDER BY ______"),
            ("WHERE join = ?", "WHERE join = ?"),
            ("WHERE pin ?1", "WHERE pin ? "),
        ];
        for (text, masked) in cases {
            assert_eq!(mask_params(text), masked, "{text}");
            assert_eq!(mask_params(text).len(), text.len());
        }
    }
}
