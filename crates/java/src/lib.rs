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
mod query;
mod region;
mod sql;
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

/// JPA's numbered parameters (`?1`) as plain `?` of the same length, so the SQL parses and
/// offsets stay.
pub(crate) fn mask_numbered_params(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut digits = false;
    for c in text.chars() {
        if digits && c.is_ascii_digit() {
            out.push(' ');
            continue;
        }
        digits = c == '?';
        out.push(c);
    }
    out
}
