//! Keys of `dbt_project.yml` that configure one model or seed by name
//! (`models: proj: marts: dim_customers: +materialized: table`). When the node's file moves
//! to a new name, the key at the node's own path (project, folders, file stem) is renamed
//! with it; a key spelled like the name elsewhere (a folder, another project's section) is
//! left for a human.

use super::project_file;
use super::yaml::{entry, get, Offsets};
use super::{read_disk, Located, Node, NodeKind, Project};
use saphyr::{LoadableYamlNode, MarkedYaml, YamlData};

/// The keys naming `node`: those at its own config path, then the other keys spelled
/// `name:`.
pub(crate) fn config_keys(project: &Project, node: &Node) -> (Vec<Located>, Vec<Located>) {
    let path = project.root.join("dbt_project.yml");
    let Some(text) = read_disk(&path) else { return (Vec::new(), Vec::new()) };
    let exact: Vec<Located> = own_key(project, node, &text).into_iter().collect();
    let loose = spelled_keys(&path, &text, &node.name).into_iter().filter(|l| !exact.contains(l)).collect();
    (exact, loose)
}

/// The key at `node`'s own config path, when its value is a mapping of configs.
fn own_key(project: &Project, node: &Node, text: &str) -> Option<Located> {
    let config = project_file::read(&project.root, &read_disk, &mut Project::default());
    let (section, paths) = match node.kind {
        NodeKind::Model => ("models", &config.model_paths),
        NodeKind::Seed => ("seeds", &config.seed_paths),
        _ => return None,
    };
    let file = node.file.as_deref()?;
    let root = super::shown(&project.root);
    let rel = paths.iter().find_map(|p| file.strip_prefix(root.join(p)).ok())?;
    let folders: Vec<String> = rel
        .parent()
        .into_iter()
        .flat_map(|p| p.components())
        .map(|c| c.as_os_str().to_string_lossy().into())
        .collect();
    let docs = MarkedYaml::load_from_str(text).ok()?;
    let mut at = get(docs.first()?, section).and_then(|s| get(s, &config.name))?;
    for f in &folders {
        at = get(at, f)?;
    }
    let (key, value) = entry(at, &node.name)?;
    if !matches!(value.data, YamlData::Mapping(_)) {
        return None;
    }
    let (start, end) = Offsets::new(text).span(key);
    (text.get(start..end) == Some(node.name.as_str()))
        .then(|| Located::new(&project.root.join("dbt_project.yml"), text, start, end))
}

/// The keys of `text` spelled `name:` (by line).
fn spelled_keys(path: &std::path::Path, text: &str, name: &str) -> Vec<Located> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let key = line.trim_start();
        let start = at + line.len() - key.len();
        let rest = key.strip_prefix(name).and_then(|r| r.strip_prefix(':'));
        if rest.is_some_and(|r| r.trim().is_empty() || r.trim_start().starts_with('#')) {
            out.push(Located::new(path, text, start, start + name.len()));
        }
        at += line.len();
    }
    out
}
