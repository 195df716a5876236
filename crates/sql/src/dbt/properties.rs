//! Properties YAML (`schema.yml`, `sources.yml`, `_models.yml`...): source tables become
//! datasets; `models:`, `seeds:` and `snapshots:` entries give the columns and configs of
//! the datasets their files define.

use super::project_file::Configs;
use super::yaml::{entry, get, items, pairs, str_of, Offsets};
use super::{Column, Located, Node, NodeKind, Project, PropertyEntry, ReadFile, Relation};
use saphyr::{LoadableYamlNode, MarkedYaml};
use std::path::Path;

/// What the properties files of a project say.
#[derive(Debug, Default)]
pub(crate) struct Properties {
    /// The source tables, as datasets.
    pub sources: Vec<Node>,
    /// Every model, seed or snapshot entry.
    pub entries: Vec<PropertyEntry>,
    /// Their columns and configs, by entry.
    pub details: Vec<(Vec<Column>, Configs)>,
}

impl Properties {
    /// The YAML entry of a model, seed or snapshot: where its name is, its columns and
    /// configs.
    pub fn entry(&self, kind: NodeKind, name: &str) -> Option<(&PropertyEntry, &[Column], &Configs)> {
        let i = self.entries.iter().position(|e| e.kind == kind && e.name.eq_ignore_ascii_case(name))?;
        let (columns, configs) = &self.details[i];
        Some((&self.entries[i], columns, configs))
    }

    pub fn add_sources(&mut self, project: &mut Project) {
        project.nodes.append(&mut self.sources);
    }
}

/// Reads one properties file into `props`; a file that does not load is recorded.
pub(crate) fn read(path: &Path, read: ReadFile<'_>, props: &mut Properties, project: &mut Project) {
    let Some(text) = read(path) else { return };
    let offsets = Offsets::new(&text);
    let docs = match MarkedYaml::load_from_str(&text) {
        Ok(d) => d,
        Err(e) => {
            let at = offsets.byte(e.marker().index());
            project
                .unreadable
                .push((Located::new(path, &text, at, at), format!("does not load: {}", e.info())));
            return;
        }
    };
    let at = |node: &MarkedYaml<'_>| {
        let (s, e) = offsets.span(node);
        Located::new(path, &text, s, e)
    };
    for doc in &docs {
        for source in items(get(doc, "sources")) {
            let Some(source_name) = get(source, "name").and_then(str_of) else { continue };
            let database = ["database", "project"].iter().find_map(|k| get(source, k).and_then(str_of));
            let schema = ["schema", "dataset"].iter().find_map(|k| get(source, k).and_then(str_of));
            for table in items(get(source, "tables")) {
                let Some(name_node) = get(table, "name") else { continue };
                let Some(name) = str_of(name_node) else { continue };
                let identifier = entry(table, "identifier").and_then(|(_, v)| str_of(v).map(|s| (s, v)));
                props.sources.push(Node {
                    kind: NodeKind::Source,
                    name: name.to_string(),
                    source: Some(source_name.to_string()),
                    relation: Relation {
                        database: database.map(str::to_string),
                        schema: Some(schema.unwrap_or(source_name).to_string()),
                        custom_schema: None,
                        identifier: identifier.map_or(name, |(s, _)| s).to_string(),
                        compiled: false,
                    },
                    file: None,
                    defined_at: at(name_node),
                    yaml: Some(at(name_node)),
                    identifier_at: identifier.map(|(_, v)| at(v)),
                    columns: columns(table, &at),
                    header: Vec::new(),
                    produces: None,
                });
            }
        }
        for (section, kind) in
            [("models", NodeKind::Model), ("seeds", NodeKind::Seed), ("snapshots", NodeKind::Snapshot)]
        {
            for model in items(get(doc, section)) {
                let Some(name_node) = get(model, "name") else { continue };
                let Some(name) = str_of(name_node) else { continue };
                let mut configs = Configs::default();
                if let Some(config) = get(model, "config") {
                    for (k, v) in pairs(config) {
                        if let Some(key) = str_of(k) {
                            configs.set(key, v);
                        }
                    }
                }
                props.entries.push(PropertyEntry { kind, name: name.to_string(), at: at(name_node) });
                props.details.push((columns(model, &at), configs));
            }
        }
        // A unit test names its model plainly (`model: m`; `ref('m')` is a call).
        for test in items(get(doc, "unit_tests")) {
            let Some(node) = get(test, "model") else { continue };
            if let Some(name) = str_of(node).filter(|n| super::renaming::plain_name(n)) {
                project.unit_tests.push(PropertyEntry {
                    kind: NodeKind::Model,
                    name: name.to_string(),
                    at: at(node),
                });
            }
        }
    }
}

/// The `columns:` entries of a table or model entry.
fn columns(entry: &MarkedYaml<'_>, at: &dyn Fn(&MarkedYaml<'_>) -> Located) -> Vec<Column> {
    items(get(entry, "columns"))
        .iter()
        .filter_map(|col| {
            let name_node = get(col, "name")?;
            Some(Column {
                name: str_of(name_node)?.to_string(),
                data_type: get(col, "data_type").and_then(str_of).map(str::to_string),
                at: at(name_node),
            })
        })
        .collect()
}
