//! `dbt_project.yml`: the project's name, where its models, seeds, snapshots and packages
//! are, and the folder-level `+schema` / `+alias` / `+database` configs.

use super::yaml::{get, pairs, str_of, strings, Offsets};
use super::{Located, NodeKind, Project, ReadFile};
use saphyr::{LoadableYamlNode, MarkedYaml, YamlData};
use std::path::{Path, PathBuf};

/// What `dbt_project.yml` says, with dbt's defaults for what it leaves out.
#[derive(Debug, Clone, Default)]
pub(crate) struct ProjectConfig {
    pub name: String,
    pub model_paths: Vec<String>,
    pub seed_paths: Vec<String>,
    pub snapshot_paths: Vec<String>,
    pub packages_install_path: String,
    /// Folder configs, shallowest first.
    pub folders: Vec<FolderConfig>,
}

/// The configs of one folder (or one file) of a resource path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FolderConfig {
    pub kind: Option<NodeKind>,
    /// The folders below the resource path (the last may be a file's stem).
    pub folders: Vec<String>,
    pub configs: Configs,
}

/// The configs ripple reads: where a dataset lands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Configs {
    pub schema: Option<String>,
    pub alias: Option<String>,
    pub database: Option<String>,
}

impl Configs {
    /// `other`'s settings over these.
    pub fn overlay(&mut self, other: &Configs) {
        for (mine, theirs) in [
            (&mut self.schema, &other.schema),
            (&mut self.alias, &other.alias),
            (&mut self.database, &other.database),
        ] {
            if theirs.is_some() {
                mine.clone_from(theirs);
            }
        }
    }

    /// Reads `schema`, `alias`, `database` (with or without `+`) from a config mapping.
    pub fn set(&mut self, key: &str, value: &MarkedYaml<'_>) {
        let Some(v) = str_of(value) else { return };
        match key.trim_start_matches('+') {
            "schema" => self.schema = Some(v.to_string()),
            "alias" => self.alias = Some(v.to_string()),
            "database" | "project" => self.database = Some(v.to_string()),
            _ => {}
        }
    }
}

impl ProjectConfig {
    /// Where packages are installed.
    pub fn packages_dir(&self, root: &Path) -> PathBuf {
        root.join(&self.packages_install_path)
    }

    /// The folder configs that apply to `file` (of `kind`, under one of `paths`), merged,
    /// deepest last.
    pub fn configs_for(&self, root: &Path, kind: NodeKind, paths: &[String], file: &Path) -> Configs {
        let mut out = Configs::default();
        let Some(rel) = paths.iter().find_map(|p| file.strip_prefix(root.join(p)).ok()) else { return out };
        let mut parts: Vec<String> = rel
            .parent()
            .into_iter()
            .flat_map(|p| p.components())
            .map(|c| c.as_os_str().to_string_lossy().into())
            .collect();
        if let Some(stem) = file.file_stem() {
            parts.push(stem.to_string_lossy().into());
        }
        for f in &self.folders {
            if f.kind == Some(kind)
                && f.folders.len() <= parts.len()
                && f.folders.iter().zip(&parts).all(|(a, b)| a == b)
            {
                out.overlay(&f.configs);
            }
        }
        out
    }
}

/// Reads `dir/dbt_project.yml`; what does not load is recorded in `project.unreadable`.
pub(crate) fn read(dir: &Path, read: ReadFile<'_>, project: &mut Project) -> ProjectConfig {
    let path = dir.join("dbt_project.yml");
    let mut config = ProjectConfig {
        name: dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        model_paths: vec!["models".into()],
        seed_paths: vec!["seeds".into()],
        snapshot_paths: vec!["snapshots".into()],
        packages_install_path: "dbt_packages".into(),
        folders: Vec::new(),
    };
    project.declares_packages = ["packages.yml", "dependencies.yml"]
        .iter()
        .any(|f| read(&dir.join(f)).is_some_and(|t| t.contains("packages:")));
    let Some(text) = read(&path) else {
        project.unreadable.push((Located::file(&path), "cannot be read".into()));
        return config;
    };
    let docs = match MarkedYaml::load_from_str(&text) {
        Ok(d) => d,
        Err(e) => {
            let at = Offsets::new(&text).byte(e.marker().index());
            project
                .unreadable
                .push((Located::new(&path, &text, at, at), format!("does not load: {}", e.info())));
            return config;
        }
    };
    let Some(doc) = docs.first() else { return config };
    if let Some(name) = get(doc, "name").and_then(str_of) {
        config.name = name.to_string();
    }
    for (key, field) in [
        (&["model-paths", "source-paths"][..], &mut config.model_paths),
        (&["seed-paths", "data-paths"][..], &mut config.seed_paths),
        (&["snapshot-paths"][..], &mut config.snapshot_paths),
    ] {
        if let Some(v) = key.iter().find_map(|k| strings(get(doc, k))) {
            *field = v;
        }
    }
    if let Some(p) =
        ["packages-install-path", "modules-path"].iter().find_map(|k| get(doc, k).and_then(str_of))
    {
        config.packages_install_path = p.to_string();
    }
    for (section, kind) in
        [("models", NodeKind::Model), ("seeds", NodeKind::Seed), ("snapshots", NodeKind::Snapshot)]
    {
        let Some(tree) = get(doc, section).and_then(|s| get(s, &config.name)) else { continue };
        let mut found = Vec::new();
        folder_configs(tree, kind, &mut Vec::new(), &mut found);
        config.folders.extend(found);
    }
    config
}

/// Walks a config tree: `+key` (or a key with a scalar value) is a config of the folder,
/// a key with a mapping value is a sub-folder.
fn folder_configs(
    node: &MarkedYaml<'_>,
    kind: NodeKind,
    path: &mut Vec<String>,
    out: &mut Vec<FolderConfig>,
) {
    let mut here = FolderConfig { kind: Some(kind), folders: path.clone(), configs: Configs::default() };
    for (k, v) in pairs(node) {
        let Some(key) = str_of(k) else { continue };
        if !key.starts_with('+') && matches!(v.data, YamlData::Mapping(_)) {
            continue;
        }
        here.configs.set(key, v);
    }
    if here.configs != Configs::default() {
        out.push(here);
    }
    for (k, v) in pairs(node) {
        let Some(key) = str_of(k) else { continue };
        if !key.starts_with('+') && matches!(v.data, YamlData::Mapping(_)) {
            path.push(key.to_string());
            folder_configs(v, kind, path, out);
            path.pop();
        }
    }
}

/// The projects installed under `dir`'s packages path.
pub(crate) fn package_dirs(dir: &Path, read: ReadFile<'_>) -> Vec<PathBuf> {
    let mut scratch = Project::default();
    let config = self::read(dir, read, &mut scratch);
    let Ok(entries) = std::fs::read_dir(config.packages_dir(dir)) else { return Vec::new() };
    let mut out: Vec<PathBuf> =
        entries.flatten().map(|e| e.path()).filter(|p| p.join("dbt_project.yml").is_file()).collect();
    out.sort();
    out
}
