//! `ripple rules list | test [DIR] | explain ID`: the rule author's commands.

use crate::{emit, EXIT_OK, EXIT_PENDING};
use clap::Subcommand;
use ripple::{InputError, InputErrors, RuleDocs, RuleInfo, RuleTestStatus};
use std::path::{Path, PathBuf};

#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// List every rule id ripple can print: the built-in rules and their findings, and the
    /// rules of --rules directories.
    List {
        /// A directory of extra rule files (repeatable).
        #[arg(long, value_name = "DIR")]
        rules: Vec<PathBuf>,
    },
    /// Run the fixture tests of the rules in DIR (default: the built-in rules). Exit 1 when
    /// a case fails.
    Test {
        /// A rules directory: `<language>/<name>.yaml` files with `<name>/<case>/` fixtures.
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Write the actual results as the expected snapshots instead of failing.
        #[arg(long)]
        update: bool,
    },
    /// Show what a rule id does, with an example (a rule file's from its fixtures).
    Explain {
        /// The rule id, e.g. `java/jpa-table`.
        id: String,
        /// A directory of extra rule files (repeatable).
        #[arg(long, value_name = "DIR")]
        rules: Vec<PathBuf>,
    },
}

pub fn run(command: &RulesCommand) -> Result<i32, InputErrors> {
    match command {
        RulesCommand::List { rules } => {
            emit(&list_text(&RuleDocs::load(rules)?.list()));
            Ok(EXIT_OK)
        }
        RulesCommand::Test { dir, update } => test(dir.as_deref(), *update),
        RulesCommand::Explain { id, rules } => {
            emit(&explain(id, rules)?);
            Ok(EXIT_OK)
        }
    }
}

/// What `rules explain ID` prints.
pub(crate) fn explain(id: &str, rules: &[PathBuf]) -> Result<String, InputErrors> {
    match RuleDocs::load(rules)?.explain(id) {
        Some(info) => Ok(explain_text(&info)),
        None => {
            Err(InputError::file(Path::new(id), "no rule has this id; `ripple rules list` shows them").into())
        }
    }
}

pub(crate) fn first_sentence(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.find(". ") {
        Some(i) => flat[..=i].to_string(),
        None => flat,
    }
}

fn list_text(infos: &[RuleInfo]) -> String {
    let width = infos.iter().map(|i| i.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for info in infos {
        let serves = if info.serves.is_empty() { "-".to_string() } else { serves(info) };
        out.push_str(&format!("{:width$}  {serves}  [{}]\n", info.id, info.source));
        if !info.description.is_empty() {
            out.push_str(&format!("{:width$}  {}\n", "", first_sentence(&info.description)));
        }
    }
    out.push_str(&format!("{} rules\n", infos.len()));
    out
}

fn explain_text(info: &RuleInfo) -> String {
    let language = info.language.map_or("core", |l| l.name());
    let mut out = format!("{}  ({language} rule, {})\n", info.id, info.source);
    if let Some(c) = info.confidence {
        out.push_str(&format!("confidence: {}\n", format!("{c:?}").to_lowercase()));
    }
    if !info.serves.is_empty() {
        out.push_str(&format!("serves: {}\n", serves(info)));
    }
    if !info.description.is_empty() {
        out.push_str(&format!("\n{}\n", info.description.trim()));
    }
    if let Some(q) = &info.query {
        out.push_str("\nMatches (tree-sitter query):\n");
        for line in q.trim_end().lines() {
            out.push_str(&format!("    {line}\n"));
        }
    }
    match &info.example {
        Some(example) => {
            out.push('\n');
            out.push_str(example);
        }
        None => out.push_str("\n(no fixture example)\n"),
    }
    out
}

fn serves(info: &RuleInfo) -> String {
    info.serves.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")
}

fn test(dir: Option<&Path>, update: bool) -> Result<i32, InputErrors> {
    let cases = ripple::test_rules(dir, update)?;
    let mut out = String::new();
    let (mut passed, mut failed, mut updated) = (0, 0, 0);
    for c in &cases {
        let label = match c.status {
            RuleTestStatus::Passed => {
                passed += 1;
                "ok     "
            }
            RuleTestStatus::Failed => {
                failed += 1;
                "FAILED "
            }
            RuleTestStatus::Updated => {
                updated += 1;
                "updated"
            }
        };
        out.push_str(&format!("{label} {} / {}\n", c.rule, c.case));
        if c.status == RuleTestStatus::Failed {
            for line in c.detail.trim_end().lines() {
                out.push_str(&format!("    {line}\n"));
            }
        }
    }
    out.push_str(&format!("\n{passed} passed, {failed} failed, {updated} updated\n"));
    emit(&out);
    Ok(if failed > 0 { EXIT_PENDING } else { EXIT_OK })
}
