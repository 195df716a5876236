//! `ripple dbt-check PATH...`: the integrity check of dbt projects on its own, for CI.

use crate::args::{DbtCheckArgs, ImpactFormat};
use crate::{emit, EXIT_BAD_INPUT, EXIT_OK, EXIT_PENDING};
use ripple::InputErrors;
use serde_json::json;
use std::path::PathBuf;

pub fn run(args: &DbtCheckArgs) -> Result<i32, InputErrors> {
    let roots = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let checked = ripple::dbt_check(&roots)?;
    if checked.is_empty() {
        let names: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
        report!("error: no dbt project (dbt_project.yml) under {}", names.join(", "));
        return Ok(EXIT_BAD_INPUT);
    }
    let problems: usize = checked.iter().map(|(_, p)| p.len()).sum();
    match args.format {
        ImpactFormat::Text => {
            let mut out = String::new();
            for (project, list) in &checked {
                for p in list {
                    out.push_str(&format!("{}: {}: {}\n", p.at, p.kind.word(), p.message));
                }
                out.push_str(&format!(
                    "project {} ({}): {} datasets, {} ref()/source() calls{}: {}\n",
                    project.name,
                    project.root.display(),
                    project.nodes.len(),
                    project.calls.len(),
                    if project.manifest { ", manifest read" } else { "" },
                    match list.len() {
                        0 => "ok".to_string(),
                        1 => "1 problem".to_string(),
                        n => format!("{n} problems"),
                    }
                ));
            }
            emit(&out);
        }
        ImpactFormat::Json => {
            let projects: Vec<_> = checked
                .iter()
                .map(|(project, list)| {
                    json!({
                        "name": project.name,
                        "root": project.root.to_string_lossy().replace('\\', "/"),
                        "manifest": project.manifest,
                        "datasets": project.nodes.len(),
                        "calls": project.calls.len(),
                        "problems": list.iter().map(|p| json!({
                            "kind": p.kind.word(),
                            "path": p.at.path.to_string_lossy().replace('\\', "/"),
                            "line": p.at.line,
                            "column": p.at.column,
                            "message": p.message,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let doc = json!({ "projects": projects });
            emit(&(serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"));
        }
    }
    Ok(if problems > 0 { EXIT_PENDING } else { EXIT_OK })
}
