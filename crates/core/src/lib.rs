//! ripple's engine: change sets, discovery, the prefilter, the rule interface, merging and
//! validation of edits, plans, and atomic apply. Language support lives in other crates and
//! plugs in through [`Rule`].

pub mod apply;
pub mod catalog;
pub mod change;
pub mod changefile;
pub mod diff;
pub mod discover;
pub mod edit;
pub mod engine;
pub mod error;
pub mod ids;
pub mod lang;
pub mod merge;
pub mod plan;
pub mod position;
pub mod prefilter;
pub mod region;
pub mod rule;
pub mod suggest;
pub mod syntax;

pub use apply::{apply_plan, ApplyReport};
pub use catalog::{Catalog, CatalogEntry, CatalogTable};
pub use change::{Change, ChangeKind, ChangeSet, Ident, TableMatch, TableName};
pub use edit::{Confidence, Edit, Finding, RuleOutput, Severity};
pub use engine::{
    plan, CatalogSource, ChangeExpander, DerivedChange, Expansion, NoProgress, Progress, Request, RuleSet,
};
pub use error::{InputError, InputErrors};
pub use ids::RuleId;
pub use lang::Lang;
pub use plan::{FilePlan, Plan, PlanChange, PlanEdit, PlanFinding, Summary};
pub use region::Region;
pub use rule::{Dialect, Options, OutputNames, Phase, Rule, RuleContext, SourceFile};
