//! The query model other crates read, for tracing host code through the SQL it runs (JDBC
//! result columns and `?` parameters): a statement's scopes, sources and column
//! references ([`Model`]), and what a column reference binds to for a change ([`Binder`]).
//! Models come from [`prepare()`](crate::prepare()).

pub use crate::resolve::bind::{Binder, Binding};
pub use crate::resolve::scope::{Model, Place, SourceKind, StatementKind};
