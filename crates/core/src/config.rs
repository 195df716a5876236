//! `ripple.toml`, a repo's settings: files to leave out (`exclude`), files that record
//! history and are never rewritten (`historical`, on top of the migration layouts ripple
//! knows), a dialect per path, the output-name mode, the dbt rename mode, and the command and timeout that
//! verify a campaign's branch, and the `layouts` whose paths name the table a file defines
//! (`core::table_layout`). Globs are matched against a file's path relative to its
//! root, with `/` as separator (`*` stays within one directory, `**` crosses them).

use crate::error::InputError;
use crate::options::{DbtRename, Dialect, OutputNames};
use crate::table_layout::{TableLayout, TableLayouts};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::path::Path;
use std::time::Duration;
use toml::Spanned;

/// The file ripple looks for at a root.
pub const CONFIG_FILE: &str = "ripple.toml";

/// A repo's settings, parsed and checked.
#[derive(Debug, Clone)]
pub struct Config {
    exclude: Globs,
    historical: Globs,
    dialects: Vec<(Globs, Dialect)>,
    /// Whether the migration layouts ripple knows are historical (`migration-layouts`,
    /// on unless set to false).
    pub migration_layouts: bool,
    /// The output-name mode, when the file sets one (`--output-names` wins).
    pub output_names: Option<OutputNames>,
    /// How a table rename renames a dbt dataset, when the file sets it (`--dbt-rename`
    /// wins).
    pub dbt_rename: Option<DbtRename>,
    /// How to verify a campaign's branch, when set.
    pub verify: Option<Verify>,
    /// The path patterns that name the table a file defines: the BigQuery ETL one, and
    /// those of `layouts`.
    pub layouts: TableLayouts,
}

/// How a campaign verifies a branch: a command run in its worktree, with a time limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verify {
    /// The command, run by the shell.
    pub command: String,
    /// How long it may run (`timeout`, in seconds; 600 when not given).
    pub timeout: Duration,
}

/// Globs and the patterns they were built from.
#[derive(Debug, Clone, Default)]
struct Globs {
    set: GlobSet,
    patterns: Vec<String>,
}

impl Globs {
    fn is_match(&self, relative: &Path) -> bool {
        !self.patterns.is_empty() && self.set.is_match(relative.to_string_lossy().replace('\\', "/"))
    }
}

/// The file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    historical: Vec<Spanned<String>>,
    migration_layouts: Option<bool>,
    #[serde(default)]
    dialect: Vec<RawDialect>,
    output_names: Option<Spanned<String>>,
    dbt_rename: Option<Spanned<String>>,
    verify: Option<RawVerify>,
    #[serde(default)]
    layouts: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDialect {
    paths: Vec<Spanned<String>>,
    dialect: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVerify {
    command: Spanned<String>,
    timeout: Option<Spanned<i64>>,
}

impl Default for Config {
    /// The settings when there is no file: the known migration layouts are historical.
    fn default() -> Self {
        Config {
            exclude: Globs::default(),
            historical: Globs::default(),
            dialects: Vec::new(),
            migration_layouts: true,
            output_names: None,
            dbt_rename: None,
            verify: None,
            layouts: TableLayouts::default(),
        }
    }
}

impl Config {
    /// Reads and checks a config file; every mistake is located `file:line:column`.
    pub fn load(path: &Path) -> Result<Config, InputError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| InputError::file(path, format!("cannot read the config: {e}")))?;
        Config::parse(path, &text)
    }

    /// Reads `ripple.toml` at `root` if there is one.
    pub fn at_root(root: &Path) -> Result<Option<Config>, InputError> {
        let path = root.join(CONFIG_FILE);
        path.is_file().then(|| Config::load(&path)).transpose()
    }

    /// Parses a config file's text.
    pub fn parse(path: &Path, text: &str) -> Result<Config, InputError> {
        let at = |span: std::ops::Range<usize>, message: String| {
            let (line, column) = line_col(text, span.start);
            InputError::at(path, line, column, message)
        };
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let message = e.message().to_string();
            match e.span() {
                Some(span) => at(span, message),
                None => InputError::file(path, message),
            }
        })?;
        let globs = |patterns: &[Spanned<String>]| -> Result<Globs, InputError> {
            let mut set = GlobSetBuilder::new();
            for p in patterns {
                let glob = GlobBuilder::new(p.get_ref())
                    .literal_separator(true)
                    .build()
                    .map_err(|e| at(p.span(), format!("not a glob: {e}")))?;
                set.add(glob);
            }
            let set = set.build().map_err(|e| InputError::file(path, e.to_string()))?;
            Ok(Globs { set, patterns: patterns.iter().map(|p| p.get_ref().clone()).collect() })
        };
        let mut dialects = Vec::new();
        for d in &raw.dialect {
            let dialect = Dialect::from_name(d.dialect.get_ref()).ok_or_else(|| {
                at(
                    d.dialect.span(),
                    format!(
                        "unknown dialect `{}`: one of postgres, mysql, bigquery, snowflake, spark",
                        d.dialect.get_ref()
                    ),
                )
            })?;
            dialects.push((globs(&d.paths)?, dialect));
        }
        let output_names = match &raw.output_names {
            None => None,
            Some(o) => Some(match o.get_ref().as_str() {
                "preserve" => OutputNames::Preserve,
                "propagate" => OutputNames::Propagate,
                other => {
                    return Err(at(
                        o.span(),
                        format!("output-names is `preserve` or `propagate`, not `{other}`"),
                    ))
                }
            }),
        };
        let dbt_rename = match &raw.dbt_rename {
            None => None,
            Some(d) => Some(DbtRename::from_name(d.get_ref()).ok_or_else(|| {
                at(d.span(), format!("dbt-rename is `identifier`, `names` or `alias`, not `{}`", d.get_ref()))
            })?),
        };
        let verify = match &raw.verify {
            None => None,
            Some(v) if v.command.get_ref().trim().is_empty() => {
                return Err(at(v.command.span(), "verify.command is empty".into()))
            }
            Some(v) => {
                let timeout = match &v.timeout {
                    None => 600,
                    Some(t) if *t.get_ref() > 0 => *t.get_ref() as u64,
                    Some(t) => {
                        return Err(at(t.span(), "verify.timeout is a number of seconds above 0".into()))
                    }
                };
                Some(Verify { command: v.command.get_ref().clone(), timeout: Duration::from_secs(timeout) })
            }
        };
        let mut layouts = Vec::new();
        for l in &raw.layouts {
            // The pattern's text starts after its opening quote.
            let layout = TableLayout::parse(l.get_ref()).map_err(|(offset, why)| {
                let start = l.span().start + 1 + offset;
                at(start..start, format!("layout `{}`: {why}", l.get_ref()))
            })?;
            layouts.push(layout);
        }
        Ok(Config {
            exclude: globs(&raw.exclude)?,
            historical: globs(&raw.historical)?,
            dialects,
            migration_layouts: raw.migration_layouts.unwrap_or(true),
            output_names,
            dbt_rename,
            verify,
            layouts: TableLayouts::with(layouts),
        })
    }

    /// The settings of several roots as one: their lists joined, the first root's
    /// single values.
    pub fn merged(configs: Vec<Config>) -> Config {
        let mut it = configs.into_iter();
        let Some(mut out) = it.next() else { return Config::default() };
        for c in it {
            out.exclude = join(out.exclude, c.exclude);
            out.historical = join(out.historical, c.historical);
            out.dialects.extend(c.dialects);
            out.migration_layouts &= c.migration_layouts;
            out.output_names = out.output_names.or(c.output_names);
            out.dbt_rename = out.dbt_rename.or(c.dbt_rename);
            out.verify = out.verify.or(c.verify);
            for l in c.layouts.iter() {
                out.layouts.add(l.clone());
            }
        }
        out
    }

    /// Is a file (by its path relative to its root) left out of the run?
    pub fn excludes(&self, relative: &Path) -> bool {
        self.exclude.is_match(relative)
    }

    /// Does `historical` name a file?
    pub fn is_historical(&self, relative: &Path) -> bool {
        self.historical.is_match(relative)
    }

    /// The dialect set for a file, if any: the first `[[dialect]]` whose paths match.
    pub fn dialect_of(&self, relative: &Path) -> Option<Dialect> {
        self.dialects.iter().find(|(g, _)| g.is_match(relative)).map(|(_, d)| *d)
    }
}

fn join(a: Globs, b: Globs) -> Globs {
    let patterns: Vec<String> = a.patterns.into_iter().chain(b.patterns).collect();
    let mut set = GlobSetBuilder::new();
    for p in &patterns {
        // Each was built once already.
        set.add(GlobBuilder::new(p).literal_separator(true).build().expect("checked when parsed"));
    }
    Globs { set: set.build().expect("checked when parsed"), patterns }
}

/// 1-based line and column (in characters) of byte `at`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(Path::new("ripple.toml"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn every_setting() {
        let c = parse(
            "exclude = [\"vendor/**\", \"**/*.gen.sql\"]\nhistorical = [\"db/archive/**\"]\n\
             output-names = \"propagate\"\ndbt-rename = \"names\"\nlayouts = [\"{schema}/{table}.sql\"]\n\n[[dialect]]\npaths = [\"warehouse/**\"]\ndialect = \"snowflake\"\n\n\
             [verify]\ncommand = \"dbt compile\"\ntimeout = 120\n",
        )
        .unwrap();
        assert!(c.excludes(Path::new("vendor/x/y.sql")) && c.excludes(Path::new("a/b/c.gen.sql")));
        assert!(!c.excludes(Path::new("models/a.sql")));
        assert!(c.is_historical(Path::new("db/archive/old.sql")));
        assert_eq!(c.dialect_of(Path::new("warehouse/m.sql")), Some(Dialect::Snowflake));
        assert_eq!(c.dialect_of(Path::new("app/m.sql")), None);
        assert_eq!(c.output_names, Some(OutputNames::Propagate));
        assert_eq!(c.dbt_rename, Some(DbtRename::Names));
        assert!(c.migration_layouts);
        assert_eq!(c.layouts.iter().count(), 2, "the default layout and one");
        let table = c.layouts.table_of(Path::new("analytics/orders.sql"), Path::new("analytics/orders.sql"));
        assert_eq!(table.map(|t| t.to_string()).as_deref(), Some("analytics.orders"));
        let verify = c.verify.unwrap();
        assert_eq!((verify.command.as_str(), verify.timeout.as_secs()), ("dbt compile", 120));
    }

    #[test]
    fn mistakes_are_located() {
        assert_eq!(
            parse("exclude = [\"a/[b\"]\n").unwrap_err().split(": not a glob").next(),
            Some("ripple.toml:1:12")
        );
        let e = parse("exclud = []\n").unwrap_err();
        assert!(e.starts_with("ripple.toml:1:1: unknown field `exclud`"), "{e}");
        let e = parse("[[dialect]]\npaths = [\"a/**\"]\ndialect = \"oracle\"\n").unwrap_err();
        assert!(e.starts_with("ripple.toml:3:11: unknown dialect `oracle`"), "{e}");
        let e = parse("output-names = \"rename\"\n").unwrap_err();
        assert!(e.starts_with("ripple.toml:1:16: output-names is"), "{e}");
        let e = parse("dbt-rename = \"move\"\n").unwrap_err();
        assert!(e.starts_with("ripple.toml:1:14: dbt-rename is"), "{e}");
        let e = parse("[verify]\ncommand = \"make test\"\ntimeout = 0\n").unwrap_err();
        assert!(e.starts_with("ripple.toml:3:11: verify.timeout"), "{e}");
        let e = parse("exclude = []\nlayouts = [\"{schema}/{tabel}.sql\"]\n").unwrap_err();
        assert!(e.starts_with("ripple.toml:2:22: layout `{schema}/{tabel}.sql`: unknown placeholder"), "{e}");
        let e = parse("exclude = [\n").unwrap_err();
        assert!(e.starts_with("ripple.toml:"), "{e}");
    }
}
