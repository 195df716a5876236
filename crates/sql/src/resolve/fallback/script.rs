//! BigQuery scripting: `DECLARE x [type] DEFAULT expr` and `SET x = expr`. A variable's
//! name is no column; its expression (often a scalar subquery over a table) is modelled in
//! a scope of its own, with no source.

use super::super::scope::Place;
use super::build::{Builder, R};
use sqlparser::ast::{Declare, DeclareAssignment, Set};

impl Builder<'_> {
    pub fn declare(&mut self, stmts: &[Declare]) -> R<()> {
        for d in stmts {
            if d.declare_type.is_some() || d.for_query.is_some() {
                return Err("a DECLARE of a cursor".into());
            }
            for n in &d.names {
                self.claim(n)?;
            }
            let scope = self.new_scope(None);
            match &d.assignment {
                None => {}
                Some(
                    DeclareAssignment::Expr(e)
                    | DeclareAssignment::Default(e)
                    | DeclareAssignment::DuckAssignment(e)
                    | DeclareAssignment::MsSqlAssignment(e),
                ) => self.expr(e, scope, Place::Expr, false)?,
                Some(DeclareAssignment::For(_)) => return Err("a DECLARE ... FOR".into()),
            }
        }
        Ok(())
    }

    pub fn set_variable(&mut self, set: &Set) -> R<()> {
        let Set::SingleAssignment { variable, values, .. } = set else {
            return Err("a SET ripple does not model".into());
        };
        self.object_parts(variable)?;
        let scope = self.new_scope(None);
        for v in values {
            self.expr(v, scope, Place::Expr, false)?;
        }
        Ok(())
    }
}
