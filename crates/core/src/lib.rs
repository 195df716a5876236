//! ripple's engine: change sets, discovery, the prefilter, the rule interface, merging and
//! validation of edits, plans, and atomic apply. Language support lives in other crates and
//! plugs in through [`Rule`] and, for host languages, [`Host`].
//!
//! The pipeline (see [`engine`]): discover → read and prefilter → catalog → expansion →
//! scan → merge and validate → assemble. Each file is read once, into a [`SourceText`].

#![warn(missing_docs)]

pub mod amend;
pub mod ancestors;
pub mod apply;
pub mod baseline;
pub mod catalog;
pub mod change;
pub mod changefile;
pub mod config;
pub mod diff;
pub mod discover;
pub mod edit;
pub mod engine;
pub mod error;
pub mod host;
pub mod ids;
pub mod impact;
pub mod lang;
pub mod layout;
pub mod memory;
pub mod merge;
pub mod options;
pub mod plan;
pub mod position;
pub mod prefilter;
pub mod reason;
pub mod region;
pub mod relevance;
pub mod rule;
pub mod schema;
pub mod source;
pub mod span;
pub mod suggest;
pub mod suppress;
pub mod table_layout;
pub mod timings;
pub mod yaml;

pub use amend::PlanPath;
pub use apply::{apply_plan, apply_plan_with, apply_saved_plan, ApplyError, ApplyOptions, ApplyReport};
pub use catalog::{Catalog, CatalogEntry, CatalogTable, SiteText};
pub use change::{Change, ChangeKind, ChangeSet, Ident, TableMatch, TableName};
pub use config::Config;
pub use edit::{Confidence, Edit, Finding, RuleOutput, Severity};
pub use engine::{
    plan, CatalogSite, CatalogSource, ChangeExpander, DerivedChange, Expansion, NoProgress, Progress,
    Request, RuleSet,
};
pub use error::{InputError, InputErrors};
pub use ids::RuleId;
pub use impact::{Impact, Outcome, Reference};
pub use lang::Lang;
pub use memory::MemoryFiles;
pub use plan::{
    content_hash, Dataset, DatasetMatchKind, FileMove, FilePlan, Plan, PlanChange, PlanEdit, PlanFinding,
    SuggestedMigration, Summary, Warning,
};
pub use reason::Reason;
pub use region::Region;
pub use rule::{
    DbtRename, Dialect, Host, Hosts, Options, OutputNames, Phase, Rule, RuleContext, SourceFile, SqlStrings,
};
pub use schema::Document;
pub use source::{FileStat, NotUtf8, SourceText};
pub use span::Span;
pub use timings::{Lap, PhaseTime, Timings};
