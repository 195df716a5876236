//! The fleet file: which repos a campaign covers, how each is verified and who owns it.
//!
//! ```yaml
//! repos:
//!   - path: ../warehouse        # a local git checkout, relative to this file
//!     name: warehouse           # its identity (default: the directory's name)
//!     owner: "@data-platform"   # used when neither CODEOWNERS nor catalog-info.yaml say
//!     verify: make test         # run in the branch's worktree (else ripple.toml's [verify])
//!     timeout: 600              # seconds
//! discover: ../services         # every git repo below this directory (or a list of them)
//! ```

use crate::yaml::{describe, get, origin, str_of};
use ripple::{InputError, InputErrors};
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How long a verify command may run when nothing says otherwise.
pub const DEFAULT_TIMEOUT_SECS: u64 = 600;

/// One repo of the fleet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repo {
    /// Its identity in branch names, the journal and shard assignment.
    pub name: String,
    /// The checkout.
    pub path: PathBuf,
    /// The owner when no CODEOWNERS or catalog-info.yaml entry applies.
    pub owner: Option<String>,
    /// The shell command that verifies a branch.
    pub verify: Option<String>,
    /// Seconds the verify command may run.
    pub timeout_secs: u64,
}

/// The repos of a fleet file, by name.
#[derive(Debug, Clone, Default)]
pub struct Fleet {
    /// Sorted by name; names are unique.
    pub repos: Vec<Repo>,
}

const FIELDS: [&str; 2] = ["repos", "discover"];
const REPO_FIELDS: [&str; 5] = ["path", "name", "owner", "verify", "timeout"];

/// Reads a fleet file; every mistake is reported at its line and column.
pub fn load_fleet(path: &Path) -> Result<Fleet, InputErrors> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::file(path, format!("cannot read fleet file: {e}")))?;
    parse_fleet(path, &text)
}

/// Parses a fleet file's text; paths in it are relative to the file's directory.
pub fn parse_fleet(path: &Path, text: &str) -> Result<Fleet, InputErrors> {
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let docs = MarkedYaml::load_from_str(text).map_err(|e| {
        let mark = e.marker();
        InputError::at(path, mark.line().max(1), mark.col() + 1, format!("invalid YAML: {}", e.info()))
    })?;
    let mut r = Reader { path, base, errors: Vec::new(), repos: Vec::new() };
    match docs.first() {
        Some(root) if matches!(root.data, YamlData::Mapping(_)) => r.root(root),
        Some(root) => r.error(
            root,
            format!("expected a mapping with `repos:` or `discover:`, found {}", describe(root)),
        ),
        None => r.errors.push(InputError::at(
            path,
            1,
            1,
            "the fleet file is empty: expected `repos:` or `discover:`",
        )),
    }
    r.finish()
}

struct Reader<'p> {
    path: &'p Path,
    base: PathBuf,
    errors: Vec<InputError>,
    /// Each repo with the node it came from, for duplicate-name messages.
    repos: Vec<(Repo, (usize, usize), bool)>,
}

impl Reader<'_> {
    fn error(&mut self, node: &MarkedYaml, message: impl Into<String>) {
        let (line, column) = origin(node);
        self.errors.push(InputError::at(self.path, line, column, message));
    }

    fn root(&mut self, root: &MarkedYaml) {
        let YamlData::Mapping(map) = &root.data else { return };
        for (key, value) in map {
            match str_of(key) {
                Some("repos") => self.repo_list(value),
                Some("discover") => self.discover(value),
                Some(other) => {
                    self.error(key, format!("unknown field `{other}`; expected one of {}", FIELDS.join(", ")))
                }
                None => self.error(key, "field names must be strings"),
            }
        }
        if get(root, "repos").is_none() && get(root, "discover").is_none() {
            self.error(root, "the fleet file needs `repos:` or `discover:`");
        }
    }

    fn repo_list(&mut self, node: &MarkedYaml) {
        let YamlData::Sequence(items) = &node.data else {
            return self.error(node, format!("`repos` must be a list, found {}", describe(node)));
        };
        for item in items {
            if let Some(repo) = self.repo(item) {
                self.repos.push((repo, origin(item), true));
            }
        }
    }

    fn repo(&mut self, node: &MarkedYaml) -> Option<Repo> {
        let YamlData::Mapping(map) = &node.data else {
            self.error(node, format!("a repo must be a mapping with `path:`, found {}", describe(node)));
            return None;
        };
        for (key, _) in map {
            match str_of(key) {
                Some(k) if REPO_FIELDS.contains(&k) => {}
                _ => {
                    let k = str_of(key).unwrap_or("?");
                    self.error(
                        key,
                        format!("unknown repo field `{k}`; expected one of {}", REPO_FIELDS.join(", ")),
                    )
                }
            }
        }
        let text = |r: &mut Self, field: &str| -> Option<String> {
            let value = get(node, field)?;
            match str_of(value) {
                Some(s) if !s.trim().is_empty() => Some(s.to_string()),
                _ => {
                    r.error(
                        value,
                        format!("`{field}` must be a non-empty string, found {}", describe(value)),
                    );
                    None
                }
            }
        };
        let Some(rel) = text(self, "path") else {
            if get(node, "path").is_none() {
                self.error(node, "a repo needs `path:` (a local git checkout)");
            }
            return None;
        };
        let path = self.base.join(&rel);
        let value = get(node, "path").expect("read above");
        if !is_git_checkout(&path) {
            self.error(value, format!("`{rel}` is not a git checkout ({} has no .git)", path.display()));
            return None;
        }
        let timeout_secs = match get(node, "timeout") {
            None => None,
            Some(t) => match &t.data {
                YamlData::Value(Scalar::Integer(n)) if *n > 0 => Some(*n as u64),
                _ => {
                    self.error(
                        t,
                        format!("`timeout` must be a positive number of seconds, found {}", describe(t)),
                    );
                    None
                }
            },
        };
        let name = text(self, "name").unwrap_or_else(|| dir_name(&path));
        if !is_plain_name(&name) {
            let at = get(node, "name").unwrap_or(node);
            self.error(at, format!("repo name `{name}` must be letters, digits, `.`, `_` or `-` (it names files and branches); give a `name:`"));
            return None;
        }
        let (verify, toml_timeout) = self.repo_toml(&path);
        Some(Repo {
            name,
            owner: text(self, "owner"),
            verify: text(self, "verify").or(verify),
            timeout_secs: timeout_secs.or(toml_timeout).unwrap_or(DEFAULT_TIMEOUT_SECS),
            path,
        })
    }

    fn discover(&mut self, node: &MarkedYaml) {
        let dirs: Vec<&MarkedYaml> = match &node.data {
            YamlData::Sequence(items) => items.iter().collect(),
            _ => vec![node],
        };
        for dir in dirs {
            let Some(rel) = str_of(dir) else {
                self.error(
                    dir,
                    format!("`discover` takes a directory or a list of them, found {}", describe(dir)),
                );
                continue;
            };
            let root = self.base.join(rel);
            if !root.is_dir() {
                self.error(dir, format!("`{rel}` is not a directory"));
                continue;
            }
            let mut found = Vec::new();
            git_repos_below(&root, &mut found);
            for path in found {
                if !is_plain_name(&dir_name(&path)) {
                    let message = format!(
                        "discovered repo {} needs a plain name: list it under `repos:` with a `name:`",
                        path.display()
                    );
                    self.error(dir, message);
                    continue;
                }
                let (verify, timeout) = self.repo_toml(&path);
                let repo = Repo {
                    name: dir_name(&path),
                    path,
                    owner: None,
                    verify,
                    timeout_secs: timeout.unwrap_or(DEFAULT_TIMEOUT_SECS),
                };
                self.repos.push((repo, origin(dir), false));
            }
        }
    }

    /// `[verify] command` and `timeout` of the repo's ripple.toml.
    fn repo_toml(&mut self, repo: &Path) -> (Option<String>, Option<u64>) {
        let file = repo.join("ripple.toml");
        let Ok(text) = std::fs::read_to_string(&file) else { return (None, None) };
        match read_verify_toml(&file, &text) {
            Ok(v) => v,
            Err(e) => {
                self.errors.push(e);
                (None, None)
            }
        }
    }

    fn finish(mut self) -> Result<Fleet, InputErrors> {
        let mut by_name: BTreeMap<String, Repo> = BTreeMap::new();
        let mut explicit = std::collections::HashSet::new();
        for (repo, (line, column), listed) in std::mem::take(&mut self.repos) {
            if let Some(first) = by_name.get(&repo.name) {
                // A repo both listed and discovered is the listed one, with its settings.
                if first.path == repo.path {
                    if listed && explicit.insert(repo.name.clone()) {
                        by_name.insert(repo.name.clone(), repo);
                    }
                    continue;
                }
                let message = format!(
                    "two repos are named `{}` ({} and {}); give one a `name:`",
                    repo.name,
                    first.path.display(),
                    repo.path.display()
                );
                self.errors.push(InputError::at(self.path, line, column, message));
                continue;
            }
            if listed {
                explicit.insert(repo.name.clone());
            }
            by_name.insert(repo.name.clone(), repo);
        }
        if !self.errors.is_empty() {
            self.errors.sort_by_key(|e| (e.line, e.column));
            return Err(InputErrors(self.errors));
        }
        Ok(Fleet { repos: by_name.into_values().collect() })
    }
}

/// Reads `[verify] command = "..."` and `timeout = N` from a ripple.toml.
fn read_verify_toml(file: &Path, text: &str) -> Result<(Option<String>, Option<u64>), InputError> {
    let located = |span: Option<std::ops::Range<usize>>, message: String| {
        let at = span.map_or(0, |s| s.start);
        let line = text[..at].matches('\n').count() + 1;
        let column = text[..at].rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        InputError::at(file, line, column, message)
    };
    let doc: toml::Table =
        toml::from_str(text).map_err(|e| located(e.span(), format!("invalid TOML: {}", e.message())))?;
    let Some(verify) = doc.get("verify") else { return Ok((None, None)) };
    let Some(table) = verify.as_table() else {
        return Err(InputError::file(file, "`verify` must be a table: [verify] command = \"...\""));
    };
    let command = match table.get("command") {
        None => None,
        Some(toml::Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(InputError::file(file, "[verify] `command` must be a string")),
    };
    let timeout = match table.get("timeout") {
        None => None,
        Some(toml::Value::Integer(n)) if *n > 0 => Some(*n as u64),
        Some(_) => {
            return Err(InputError::file(file, "[verify] `timeout` must be a positive number of seconds"))
        }
    };
    Ok((command, timeout))
}

/// A repo name is a file name in the state directory and part of branch names.
fn is_plain_name(name: &str) -> bool {
    !name.starts_with('.') && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn is_git_checkout(path: &Path) -> bool {
    path.join(".git").exists()
}

fn dir_name(path: &Path) -> String {
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    canonical.file_name().map_or_else(|| "repo".to_string(), |n| n.to_string_lossy().into_owned())
}

/// Every git checkout below `dir`, not looking inside one once found.
fn git_repos_below(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut dirs: Vec<PathBuf> =
        entries.flatten().filter(|e| e.file_type().is_ok_and(|t| t.is_dir())).map(|e| e.path()).collect();
    dirs.sort();
    for d in dirs {
        if d.file_name().is_some_and(|n| n == ".git") {
            continue;
        }
        if is_git_checkout(&d) {
            out.push(d);
        } else {
            git_repos_below(&d, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/.git")).unwrap();
        let file = dir.path().join("fleet.yaml");
        match parse_fleet(&file, text) {
            Ok(f) => panic!("expected errors, got {f:?}"),
            Err(e) => e.0.iter().map(|e| format!("{}:{}: {}", e.line, e.column, e.message)).collect(),
        }
    }

    #[test]
    fn bad_fleet_files_are_located() {
        assert_eq!(
            errors("repos:\n  - path: a\n    owner: [x]\n"),
            ["3:12: `owner` must be a non-empty string, found a list"]
        );
        let missing = errors("repos:\n  - path: missing\n");
        assert!(missing[0].starts_with("2:11: `missing` is not a git checkout"), "{missing:?}");
        assert_eq!(
            errors("repo:\n  - path: a\n"),
            [
                "1:1: unknown field `repo`; expected one of repos, discover",
                "1:1: the fleet file needs `repos:` or `discover:`",
            ]
        );
        assert_eq!(
            errors("repos:\n  - path: a\n  - path: a\n    name: a\n    timeout: -1\n"),
            ["5:14: `timeout` must be a positive number of seconds, found a number",]
        );
        assert_eq!(
            errors("repos: [\n"),
            ["2:1: invalid YAML: while parsing a node, did not find expected node content"]
        );
    }
}
