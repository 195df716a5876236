//! `cargo xtask real-corpus --out DIR`: a benchmark corpus of real code already on the
//! machine (the Python standard library, the JDK's Java sources, the SQL files outside the
//! system and work trees), with consumers planted from the fixtures and a change set that
//! names what they use.
//!
//! Only files ripple scans are copied (`.py`, `.java`, `.sql`), so grep and ripple read the
//! same bytes; the planted fixtures are copied whole.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A `.sql` file larger than this is left out (a dump, not code).
const MAX_SQL_FILE: u64 = 2 << 20;
/// The SQL files copied add up to at most this.
const MAX_SQL_TOTAL: u64 = 64 << 20;
/// Trees never searched for SQL files: the kernel's, devices, and the work trees (which hold
/// ripple's own fixtures and other corpora).
const SKIPPED_ROOTS: &[&str] = &["/proc", "/sys", "/dev", "/run", "/work", "/tmp"];

/// The fixtures planted, each copied to the places named (relative to the corpus): they use
/// the `users` change set of fixtures/demo.
const PLANTED: &[(&str, &[&str])] = &[
    ("demo", &["planted/demo", "python-stdlib/planted_demo", "jdk/planted_demo"]),
    ("java", &["jdk/planted_java"]),
    ("mybatis", &["jdk/planted_mybatis"]),
    ("python", &["python-stdlib/planted_python"]),
    ("pandas_reads", &["python-stdlib/planted_pandas"]),
    ("suppress", &["planted/suppress"]),
];

/// What was written, by part.
#[derive(Default)]
pub struct Written {
    pub parts: Vec<(String, Count)>,
}

#[derive(Default, Clone, Copy)]
pub struct Count {
    pub files: u64,
    pub bytes: u64,
}

impl Count {
    fn add(&mut self, bytes: u64) {
        self.files += 1;
        self.bytes += bytes;
    }
}

pub fn build(out: &Path, workspace: &Path) -> Result<Written> {
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        bail!("{} exists and is not empty", out.display());
    }
    std::fs::create_dir_all(out)?;
    let mut written = Written::default();

    match python_stdlib() {
        Some(stdlib) => {
            let mut count = Count::default();
            copy_matching(&stdlib, &out.join("python-stdlib"), &["py"], &mut count, &|p| {
                p.file_name().is_some_and(|n| n == "site-packages" || n == "__pycache__")
            })?;
            written.parts.push((format!("Python standard library ({})", stdlib.display()), count));
        }
        None => eprintln!("no python3 on PATH: the corpus has no Python standard library"),
    }

    match jdk_sources() {
        Some(zip) => {
            let count = unzip_java(&zip, &out.join("jdk"))?;
            written.parts.push((format!("JDK sources ({})", zip.display()), count));
        }
        None => eprintln!("no src.zip under /usr/lib/jvm: the corpus has no Java sources"),
    }

    let mut sql = Count::default();
    sql_files(out, &mut sql)?;
    written.parts.push(("SQL files on the machine".into(), sql));

    let mut planted = Count::default();
    for (fixture, places) in PLANTED {
        let from = workspace.join("fixtures").join(fixture);
        for place in *places {
            copy_matching(&from, &out.join(place), &[], &mut planted, &|p| p.ends_with("changes.yaml"))?;
        }
    }
    written.parts.push(("planted consumers (fixtures)".into(), planted));

    std::fs::copy(workspace.join("fixtures/demo/changes.yaml"), out.join("changes.yaml"))
        .context("writing changes.yaml")?;
    Ok(written)
}

fn python_stdlib() -> Option<PathBuf> {
    let out = Command::new("python3")
        .args(["-c", "import sysconfig;print(sysconfig.get_paths()['stdlib'])"])
        .output()
        .ok()?;
    let path = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    (out.status.success() && path.is_dir()).then_some(path)
}

/// The first `src.zip` of the JDKs under /usr/lib/jvm, by name.
fn jdk_sources() -> Option<PathBuf> {
    let mut jdks: Vec<PathBuf> =
        std::fs::read_dir("/usr/lib/jvm").ok()?.flatten().map(|e| e.path()).collect();
    jdks.sort();
    jdks.iter().flat_map(|jdk| [jdk.join("lib/src.zip"), jdk.join("src.zip")]).find(|zip| zip.is_file())
}

/// The `.java` files of `zip`, extracted under `to`.
fn unzip_java(zip: &Path, to: &Path) -> Result<Count> {
    std::fs::create_dir_all(to)?;
    let status = Command::new("unzip")
        .args(["-q", "-o"])
        .arg(zip)
        .arg("*.java")
        .arg("-d")
        .arg(to)
        .status()
        .context("running unzip (is it installed?)")?;
    if !status.success() {
        bail!("unzip {} failed: {status}", zip.display());
    }
    let mut count = Count::default();
    copy_matching(to, to, &["java"], &mut count, &|_| false)?;
    Ok(count)
}

/// Copies the files under `from` whose extension is in `exts` (every file when empty) to
/// `to`, keeping their relative paths; `skip` leaves out a file or a whole folder. Links are
/// never followed. With `from == to` it only counts.
fn copy_matching(
    from: &Path,
    to: &Path,
    exts: &[&str],
    count: &mut Count,
    skip: &dyn Fn(&Path) -> bool,
) -> Result<()> {
    let mut stack = vec![from.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(ft) = entry.file_type() else { continue };
            if skip(&path) {
                continue;
            }
            if ft.is_dir() {
                stack.push(path);
            } else if ft.is_file()
                && (exts.is_empty()
                    || path.extension().and_then(|e| e.to_str()).is_some_and(|e| exts.contains(&e)))
            {
                let target = to.join(path.strip_prefix(from)?);
                if from != to {
                    std::fs::create_dir_all(target.parent().expect("a file has a folder"))?;
                    std::fs::copy(&path, &target).with_context(|| format!("copying {}", path.display()))?;
                }
                count.add(entry.metadata()?.len());
            }
        }
    }
    Ok(())
}

/// Every `.sql` file on the machine outside [`SKIPPED_ROOTS`] and `out`, under
/// `out/sql-files/<its absolute path>`, within the caps.
fn sql_files(out: &Path, count: &mut Count) -> Result<()> {
    let out_abs = std::fs::canonicalize(out)?;
    let mut found = Vec::new();
    let mut stack = vec![PathBuf::from("/")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(ft) = entry.file_type() else { continue };
            if ft.is_dir() {
                let skipped =
                    SKIPPED_ROOTS.iter().any(|r| path == Path::new(r)) || path.starts_with(&out_abs);
                if !skipped {
                    stack.push(path);
                }
            } else if ft.is_file() && path.extension().is_some_and(|e| e.eq_ignore_ascii_case("sql")) {
                let len = entry.metadata().map(|m| m.len()).unwrap_or(u64::MAX);
                if len <= MAX_SQL_FILE {
                    found.push((path, len));
                }
            }
        }
    }
    // In path order, so that the cap keeps the same files from one build to the next.
    found.sort();
    for (path, len) in found {
        if count.bytes + len > MAX_SQL_TOTAL {
            eprintln!("SQL files capped at {} MB", MAX_SQL_TOTAL >> 20);
            break;
        }
        let target = out.join("sql-files").join(path.strip_prefix("/")?);
        std::fs::create_dir_all(target.parent().expect("a file has a folder"))?;
        if std::fs::copy(&path, &target).is_ok() {
            count.add(len);
        }
    }
    Ok(())
}
