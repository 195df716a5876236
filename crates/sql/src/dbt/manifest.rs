//! `target/manifest.json`, when a project has been compiled: the resolved database and
//! schema of each node (what the custom-schema rule made of it with the last target), and
//! its columns. The project's files stay the truth for names; the manifest only fills in
//! what the files leave unknown, since it may be older than they are.

use super::{Column, Located, NodeKind, Project, ReadFile};
use serde_json::Value;
use std::path::Path;

pub(crate) fn enrich(dir: &Path, read: ReadFile<'_>, project: &mut Project) {
    let path = dir.join("target").join("manifest.json");
    let Some(text) = read(&path) else { return };
    let Ok(manifest) = serde_json::from_str::<Value>(&text) else {
        project.unreadable.push((Located::file(&path), "is not valid JSON".into()));
        return;
    };
    project.manifest = true;
    let nodes = manifest.get("nodes").and_then(Value::as_object).into_iter().flatten();
    let sources = manifest.get("sources").and_then(Value::as_object).into_iter().flatten();
    for (_, entry) in nodes.chain(sources) {
        let field = |k: &str| entry.get(k).and_then(Value::as_str);
        if field("package_name").is_some_and(|p| p != project.name) {
            continue;
        }
        let kind = match field("resource_type") {
            Some("model") => NodeKind::Model,
            Some("seed") => NodeKind::Seed,
            Some("snapshot") => NodeKind::Snapshot,
            Some("source") => NodeKind::Source,
            _ => continue,
        };
        let (Some(name), source) = (field("name"), field("source_name")) else { continue };
        let Some(node) = project
            .nodes
            .iter_mut()
            .find(|n| n.kind == kind && n.name.eq_ignore_ascii_case(name) && n.source.as_deref() == source)
        else {
            continue;
        };
        let r = &mut node.relation;
        if r.database.is_none() && r.schema.is_none() {
            r.database = field("database").map(str::to_string);
            r.schema = field("schema").map(str::to_string);
            r.compiled = true;
        }
        if node.columns.is_empty() {
            let columns = entry.get("columns").and_then(Value::as_object).into_iter().flatten();
            node.columns = columns
                .map(|(name, c)| Column {
                    name: name.clone(),
                    data_type: c.get("data_type").and_then(Value::as_str).map(str::to_string),
                    at: Located::file(&path),
                })
                .collect();
        }
    }
}
