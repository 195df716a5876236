//! The work behind each MCP tool, as plain functions over ripple's library: the same calls
//! and messages as the command line.

use super::params::{
    ApplyOutput, ChangesInput, DbtRenameParam, DialectParam, FileMessage, Located, MovedFile,
    OutputNamesParam, PlanParams, RuleSummary, SchemaDiffParams, ValidateOutput,
};
use crate::rules_cmd::first_sentence;
use ripple::core::ApplyReport;
use ripple::{
    ChangeSet, DbtRename, Dialect, InputError, InputErrors, NoProgress, OutputNames, Plan, Request, RuleDocs,
};
use std::path::{Path, PathBuf};

/// What names an inline change set in messages.
const INLINE: &str = "<changes>";

fn dialect(d: Option<DialectParam>) -> Dialect {
    match d {
        None => Dialect::default(),
        Some(DialectParam::Postgres) => Dialect::Postgres,
        Some(DialectParam::Mysql) => Dialect::Mysql,
        Some(DialectParam::Bigquery) => Dialect::Bigquery,
        Some(DialectParam::Snowflake) => Dialect::Snowflake,
        Some(DialectParam::Spark) => Dialect::Spark,
    }
}

fn paths(list: &[String]) -> Vec<PathBuf> {
    list.iter().map(PathBuf::from).collect()
}

/// The change set, from its text or its file; exactly one of the two must be given.
fn load_changes(input: &ChangesInput) -> Result<ChangeSet, InputErrors> {
    let dialect = dialect(input.dialect);
    match (&input.changes, &input.changes_path) {
        (Some(text), None) => ripple::parse_changes(Path::new(INLINE), text, dialect).map(|l| l.changes),
        (None, Some(path)) => ripple::load_changes(Path::new(path), dialect),
        _ => Err(InputError::file(
            Path::new(INLINE),
            "give the change set as `changes` (its text) or as `changes_path`, not both",
        )
        .into()),
    }
}

/// The plan of a run, as `ripple plan` makes it.
pub fn plan(params: &PlanParams) -> Result<Plan, InputErrors> {
    let dialect = dialect(params.input.dialect);
    let changes = load_changes(&params.input)?;
    let catalog = ripple::load_catalog(&paths(&params.catalog), dialect)?;
    let rules = ripple::rules(&paths(&params.rules))?;
    let roots = if params.paths.is_empty() { vec![PathBuf::from(".")] } else { paths(&params.paths) };
    let output_names = match params.output_names {
        Some(OutputNamesParam::Propagate) => OutputNames::Propagate,
        Some(OutputNamesParam::Preserve) | None => OutputNames::Preserve,
    };
    let dbt_rename = match params.dbt_rename {
        Some(DbtRenameParam::Names) => DbtRename::Names,
        Some(DbtRenameParam::Alias) => DbtRename::Alias,
        Some(DbtRenameParam::Identifier) | None => DbtRename::Identifier,
    };
    let request = Request::new(changes, roots)
        .with_options(ripple::Options::new(dialect, output_names).with_dbt_rename(dbt_rename))
        .with_catalog(catalog);
    Ok(ripple::plan(&rules, &request, &NoProgress)?)
}

/// The files of an apply, in the words of `ripple apply`.
pub fn apply_output(report: &ApplyReport) -> ApplyOutput {
    let slash = |p: &Path| p.to_string_lossy().replace('\\', "/");
    let moved =
        report.moved.iter().map(|(from, to)| MovedFile { from: slash(from), to: slash(to) }).collect();
    let written = report.written.iter().map(|p| slash(p)).collect();
    let mut out = ApplyOutput { written, moved, ..ApplyOutput::default() };
    for e in &report.failed {
        let message = FileMessage { path: slash(&e.path), message: e.message.clone() };
        if e.refused {
            out.refused.push(message)
        } else {
            out.failed.push(message)
        }
    }
    out
}

/// The change set's errors and warnings, without scanning any code.
pub fn validate_changes(input: &ChangesInput) -> ValidateOutput {
    let name = input.changes_path.as_deref().unwrap_or(INLINE);
    match load_changes(input) {
        Ok(set) => {
            let warnings =
                ripple::sql::change_checks::quoting_warnings(Path::new(name), &set, dialect(input.dialect));
            ValidateOutput { valid: true, changes: set.changes, errors: Vec::new(), warnings }
        }
        Err(errors) => ValidateOutput {
            valid: false,
            changes: Vec::new(),
            errors: errors.0.into_iter().map(located).collect(),
            warnings: Vec::new(),
        },
    }
}

/// An input error as data.
pub fn located(e: InputError) -> Located {
    Located {
        path: e.path.to_string_lossy().into_owned(),
        line: e.line,
        column: e.column,
        message: e.message,
    }
}

/// The change file `ripple schema-diff` prints.
pub fn schema_diff(params: &SchemaDiffParams) -> Result<String, InputErrors> {
    ripple::schema_diff(Path::new(&params.old), Path::new(&params.new), dialect(params.dialect))
}

/// Every rule id, as `ripple rules list` shows them.
pub fn list_rules(rules: &[String]) -> Result<Vec<RuleSummary>, InputErrors> {
    let docs = RuleDocs::load(&paths(rules))?;
    Ok(docs
        .list()
        .iter()
        .map(|info| RuleSummary {
            id: info.id.clone(),
            summary: first_sentence(&info.description),
            serves: info.serves.iter().map(|k| k.name().to_string()).collect(),
            source: info.source.clone(),
        })
        .collect())
}

/// What `ripple rules explain ID` prints.
pub fn explain_rule(id: &str, rules: &[String]) -> Result<String, InputErrors> {
    crate::rules_cmd::explain(id, &paths(rules))
}
