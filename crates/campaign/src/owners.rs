//! Who owns a file: CODEOWNERS first (GitHub's rules: the last matching pattern wins), then
//! the nearest Backstage catalog-info.yaml, then the fleet file's `owner`, then the repo.

use crate::yaml::{get, str_of};
use globset::{GlobBuilder, GlobMatcher};
use saphyr::{LoadableYamlNode, MarkedYaml};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where CODEOWNERS may live, in the order GitHub and GitLab look.
const CODEOWNERS_PLACES: [&str; 4] =
    [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS"];

/// Why a file has the owner it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OwnerSource {
    /// A CODEOWNERS line.
    Codeowners,
    /// A catalog-info.yaml entity's `spec.owner`.
    CatalogInfo,
    /// The fleet file's `owner` of the repo.
    Fleet,
    /// Nothing said: the repo itself.
    Repo,
}

/// One or more owners (a CODEOWNERS line may name several), as written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Owner(pub Vec<String>);

impl Owner {
    /// The owners joined by spaces: the group key and what a PR names.
    pub fn label(&self) -> String {
        self.0.join(" ")
    }

    /// A branch-name slug: `@org/team-a @bob` becomes `org-team-a-bob`.
    pub fn slug(&self) -> String {
        slug(&self.label())
    }
}

/// Lower-case letters and digits, everything else one `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches(['-', '.']).trim_start_matches('.').to_string();
    if out.is_empty() {
        "unowned".to_string()
    } else {
        out
    }
}

/// A CODEOWNERS rule: its pattern and owners (none: the paths are unowned).
struct Rule {
    /// The path itself; none for a directory-only pattern.
    matcher: Option<GlobMatcher>,
    /// Everything below a matching directory; none for `dir/*`, which GitHub keeps to one level.
    below: Option<GlobMatcher>,
    owners: Vec<String>,
}

impl Rule {
    fn matches(&self, path: &str) -> bool {
        [&self.matcher, &self.below].into_iter().flatten().any(|m| m.is_match(path))
    }
}

/// The owners of one repo's files.
pub struct RepoOwners {
    root: PathBuf,
    rules: Vec<Rule>,
    fallback: Owner,
    fallback_source: OwnerSource,
    /// The repo's name, which a catalog-info.yaml entity may carry.
    repo_name: String,
    /// catalog-info.yaml owner by directory (relative), read once.
    catalog: std::sync::Mutex<HashMap<PathBuf, Option<String>>>,
}

impl RepoOwners {
    /// Reads the repo's CODEOWNERS; catalog-info.yaml files are read as files ask.
    pub fn load(root: &Path, fleet_owner: Option<&str>, repo_name: &str) -> Self {
        let text = CODEOWNERS_PLACES.iter().find_map(|p| std::fs::read_to_string(root.join(p)).ok());
        let (fallback, fallback_source) = match fleet_owner {
            Some(o) => (Owner(vec![o.to_string()]), OwnerSource::Fleet),
            None => (Owner(vec![repo_name.to_string()]), OwnerSource::Repo),
        };
        RepoOwners {
            root: root.to_path_buf(),
            rules: text.map(|t| parse_codeowners(&t)).unwrap_or_default(),
            fallback,
            fallback_source,
            repo_name: repo_name.to_string(),
            catalog: Default::default(),
        }
    }

    /// The owner of a file, by its path relative to the repo.
    pub fn owner_of(&self, relative: &Path) -> (Owner, OwnerSource) {
        let text = relative.to_string_lossy().replace('\\', "/");
        if let Some(rule) = self.rules.iter().rev().find(|r| r.matches(&text)) {
            if !rule.owners.is_empty() {
                return (Owner(rule.owners.clone()), OwnerSource::Codeowners);
            }
        }
        let mut dir = relative.parent();
        while let Some(d) = dir {
            if let Some(owner) = self.catalog_owner(d) {
                return (Owner(vec![owner]), OwnerSource::CatalogInfo);
            }
            dir = d.parent();
        }
        (self.fallback.clone(), self.fallback_source)
    }

    fn catalog_owner(&self, dir: &Path) -> Option<String> {
        let mut cache = self.catalog.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(dir.to_path_buf())
            .or_insert_with(|| {
                let text = std::fs::read_to_string(self.root.join(dir).join("catalog-info.yaml")).ok()?;
                catalog_info_owner(&text, &self.repo_name)
            })
            .clone()
    }
}

/// The owner a catalog-info.yaml gives (a file may hold several entities, one per YAML
/// document): the `spec.owner` of the entity whose `metadata.name` is the repo's name, else
/// of its first Component, else of its first entity that has an owner.
pub fn catalog_info_owner(text: &str, repo_name: &str) -> Option<String> {
    let docs = MarkedYaml::load_from_str(text).ok()?;
    let owner =
        |d: &MarkedYaml| get(d, "spec").and_then(|s| get(s, "owner")).and_then(str_of).map(str::to_string);
    let named =
        |d: &&MarkedYaml| get(d, "metadata").and_then(|m| get(m, "name")).and_then(str_of) == Some(repo_name);
    let component = |d: &&MarkedYaml| get(d, "kind").and_then(str_of) == Some("Component");
    let first = |found: Option<&MarkedYaml>| found.and_then(owner);
    first(docs.iter().find(named))
        .or_else(|| first(docs.iter().find(component)))
        .or_else(|| docs.iter().find_map(owner))
}

/// Parses CODEOWNERS lines; GitLab `[Section]` headers and unparsable patterns are skipped.
fn parse_codeowners(text: &str) -> Vec<Rule> {
    let mut rules = Vec::new();
    for line in text.lines() {
        let line = line.split_once(" #").map_or(line, |(l, _)| l).trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with('[') || line.starts_with("^[") {
            continue;
        }
        let mut words = line.split_whitespace();
        let Some(pattern) = words.next() else { continue };
        if let Some((matcher, below)) = pattern_matchers(pattern) {
            rules.push(Rule { matcher, below, owners: words.map(str::to_string).collect() });
        }
    }
    rules
}

/// gitignore-style pattern semantics as GitHub applies them: a leading or inner `/` anchors
/// to the root, otherwise the pattern matches at any depth; a match on a directory covers
/// everything below it, except for `dir/*`; a trailing `/` matches directories only.
fn pattern_matchers(pattern: &str) -> Option<(Option<GlobMatcher>, Option<GlobMatcher>)> {
    let dir_only = pattern.ends_with('/');
    let trimmed = pattern.trim_end_matches('/');
    let anchored = trimmed.starts_with('/') || trimmed.contains('/');
    let body = trimmed.trim_start_matches('/');
    if body.is_empty() {
        return None;
    }
    let base = if anchored || body.starts_with("**") { body.to_string() } else { format!("**/{body}") };
    let glob =
        |p: &str| GlobBuilder::new(p).literal_separator(true).build().ok().map(|g| g.compile_matcher());
    let below = if body == "*" || !body.ends_with("/*") { Some(glob(&format!("{base}/**"))?) } else { None };
    let matcher = if dir_only { None } else { Some(glob(&base)?) };
    Some((matcher, below))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner(codeowners: &str, path: &str) -> Option<String> {
        let rules = parse_codeowners(codeowners);
        let rule = rules.iter().rev().find(|r| r.matches(path))?;
        (!rule.owners.is_empty()).then(|| rule.owners.join(" "))
    }

    #[test]
    fn codeowners_follows_githubs_rules() {
        let file = "\
# comment
*       @everyone
*.sql   @sql-team
/models/ @dbt-team @analyst
docs/*  @writers
apps/   @apps
/build/logs/ @ops
**/legacy/** @legacy
models/staging/unowned.sql
";
        assert_eq!(owner(file, "README.md").as_deref(), Some("@everyone"));
        assert_eq!(owner(file, "x/y/a.sql").as_deref(), Some("@sql-team"));
        assert_eq!(owner(file, "models/a/b.sql").as_deref(), Some("@dbt-team @analyst"));
        assert_eq!(owner(file, "sub/models/b.sql").as_deref(), Some("@sql-team"), "anchored");
        assert_eq!(owner(file, "docs/a.md").as_deref(), Some("@writers"));
        assert_eq!(owner(file, "docs/deep/a.md").as_deref(), Some("@everyone"), "docs/* is one level");
        assert_eq!(owner(file, "x/apps/a.py").as_deref(), Some("@apps"), "unanchored directory");
        assert_eq!(owner(file, "build/logs/a.log").as_deref(), Some("@ops"));
        assert_eq!(owner(file, "a/legacy/b/c.py").as_deref(), Some("@legacy"));
        assert_eq!(owner(file, "models/staging/unowned.sql"), None, "no owner: unowned");
    }

    #[test]
    fn catalog_info_takes_the_component_owner_among_several_entities() {
        let text = "\
apiVersion: backstage.io/v1alpha1
kind: System
metadata: { name: billing }
spec: { owner: group:platform }
---
kind: Component
metadata:
  name: billing-api
spec:
  owner: team-billing
";
        assert_eq!(catalog_info_owner(text, "other").as_deref(), Some("team-billing"));
        assert_eq!(
            catalog_info_owner(text, "billing").as_deref(),
            Some("group:platform"),
            "named after the repo"
        );
        assert_eq!(catalog_info_owner("kind: Group\nmetadata: {name: x}\n", "x"), None);
    }

    #[test]
    fn slugs_are_branch_safe() {
        assert_eq!(Owner(vec!["@org/team-a".into(), "@bob".into()]).slug(), "org-team-a-bob");
        assert_eq!(slug("group:default/Data"), "group-default-data");
        assert_eq!(slug("@@"), "unowned");
    }
}
