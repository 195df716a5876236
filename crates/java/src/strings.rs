//! The SQL strings of one Java file and what became of each: what the embedded-SQL driver
//! walks (`embedded.rs`) and the follow-ups read (JDBC code in `jdbc.rs`, MyBatis result
//! maps in `mybatis_results.rs`).

use crate::query;
use crate::sql::{self, Discovery};
use ripple_core::{RuleContext, SourceFile};

/// The SQL strings of one Java file.
pub(crate) struct JavaSql<'f, 's> {
    pub(crate) file: &'f SourceFile<'s>,
    pub(crate) found: Discovery<'f>,
    /// Per SQL string: the changes whose rewrite of it was refused or left in doubt.
    pub(crate) doubtful: Vec<Vec<usize>>,
}

impl<'f, 's> JavaSql<'f, 's> {
    pub(crate) fn discover(file: &'f SourceFile<'s>) -> Self {
        let found = sql::discover(file.tree().root_node(), file.text);
        JavaSql { file, found, doubtful: Vec::new() }
    }

    /// The query of SQL string `i`, its parameters masked: what the code that reads its
    /// results and binds its parameters is checked against.
    pub(crate) fn query(&self, i: usize, ctx: &RuleContext<'_>) -> query::Analysed {
        query::analyse(&crate::mask_params(self.found.sql[i].region.text()), ctx)
    }

    /// Was the rewrite of SQL string `i` for change `ci` refused or left in doubt?
    pub(crate) fn doubts(&self, i: usize, ci: usize) -> bool {
        self.doubtful.get(i).is_some_and(|d| d.contains(&ci))
    }
}
