//! A deterministic generator of a mixed SQL/Python/Java tree of real-looking code, for
//! benchmarks. About 1% of files reference the `users` table and its columns `user_name`,
//! `age` and `legacy_flag`; no other file contains those words as whole words.
//!
//! Kept std-only in one module so that `benches/plan.rs` can include it with `#[path]`:
//! one copy of the code, and no extra workspace crate or dependency edge for a test helper.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

mod java;
mod python;
mod query;
mod schema;
mod sql;

use java::*;
use python::*;
use query::*;
use schema::*;
use sql::*;

/// The change set the corpus is built for, in the change-file format of DESIGN.md.
pub const CHANGES_YAML: &str = "\
changes:
  - kind: rename_column
    table: users
    from: user_name
    to: username
  - kind: change_type
    table: users
    column: age
    from: INT
    to: BIGINT
  - kind: drop_column
    table: users
    column: legacy_flag
";

/// The words only the ~1% of `users` files contain.
#[cfg(test)]
const WATCHED: [&str; 4] = ["users", "user_name", "age", "legacy_flag"];

/// splitmix64: tiny, fast, and good enough to pick templates.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    pub fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }

    /// Uniform in (0, 1].
    pub fn unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64
    }
}

// The tree

/// One generated file: where it goes (relative to the output dir) and what it holds.
pub struct GenFile {
    pub path: PathBuf,
    pub text: String,
    pub mentions_users: bool,
}

/// Target size: 1 KiB plus an exponential tail (mean 6 KiB) capped at 37 KiB, so most files
/// are small, a few are large; the last block overshoots, so files average about 8 KiB.
fn target_size(rng: &mut Rng) -> usize {
    let tail = (-rng.unit().ln() * 6144.0).min(36.0 * 1024.0);
    1024 + tail as usize
}

/// Is file `index` one of the ~1% that mention `users`? Spread evenly, offset by the seed.
pub fn mentions_users(index: usize, seed: u64) -> bool {
    index % 100 == (seed % 100) as usize
}

/// Generates file `index` of a corpus; the same (index, seed) always gives the same file.
pub fn generate_file(index: usize, seed: u64) -> GenFile {
    let mut rng = Rng::new(seed ^ (index as u64).wrapping_mul(0xD134_2543_DE82_EF95));
    rng.next_u64();
    let users = mentions_users(index, seed);
    let mut tables = Tables { users, first: true };
    let target = target_size(&mut rng);
    let domain = *rng.pick(DOMAINS);
    let mut text = String::with_capacity(target + 2048);
    let kind = rng.below(100);
    let path = if kind < 50 {
        let sub = rng.below(100);
        if sub < 45 {
            let (layer, prefix) =
                *rng.pick(&[("staging", "stg"), ("intermediate", "int"), ("marts", "fct"), ("marts", "dim")]);
            let mut peek = rng.clone();
            let name = tables.clone_peek(&mut peek).name;
            sql_dbt(&mut rng, &mut tables, target, &mut text);
            PathBuf::from(format!("analytics/models/{layer}/{domain}/{prefix}_{name}_{index}.sql"))
        } else if sub < 80 {
            sql_report(&mut rng, &mut tables, target, &mut text);
            PathBuf::from(format!("reporting/{domain}/queries/report_{index}.sql"))
        } else {
            sql_ddl(&mut rng, &mut tables, target, &mut text);
            PathBuf::from(format!("db/migrations/{domain}/V{index}__schema.sql"))
        }
    } else if kind < 80 {
        let sub = rng.below(100);
        if sub < 40 {
            py_etl(&mut rng, &mut tables, target, &mut text);
            PathBuf::from(format!("pipelines/{domain}/jobs/job_{index}.py"))
        } else if sub < 65 {
            py_models(&mut rng, &mut tables, target, &mut text);
            PathBuf::from(format!("services/{domain}/app/models/models_{index}.py"))
        } else {
            py_pandas(&mut rng, &mut tables, target, &mut text);
            PathBuf::from(format!("notebooks/{domain}/analysis/frames_{index}.py"))
        }
    } else {
        let sub = rng.below(100);
        let (kind, suffix) = if sub < 40 {
            ("dao", "Dao")
        } else if sub < 70 {
            ("entity", "Entity")
        } else {
            ("service", "Service")
        };
        let pkg = format!("com.acme.{domain}.{kind}");
        let class = format!("{}{suffix}{index}", pascal(domain));
        match kind {
            "dao" => java_dao(&mut rng, &mut tables, target, &mut text, &pkg, &class),
            "entity" => java_entity(&mut rng, &mut tables, target, &mut text, &pkg, &class),
            _ => java_service(&mut rng, &mut tables, target, &mut text, &pkg, &class),
        }
        PathBuf::from(format!(
            "services/{domain}-service/src/main/java/com/acme/{domain}/{kind}/{class}.java"
        ))
    };
    GenFile { path, text, mentions_users: users }
}

impl Tables {
    /// The table the next draw would give, without consuming the real generator.
    fn clone_peek(&self, rng: &mut Rng) -> &'static Table {
        Tables { users: self.users, first: self.first }.next(rng)
    }
}

/// What a generation run wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub files: usize,
    pub bytes: u64,
    pub users_files: usize,
}

/// Writes `files` files plus `changes.yaml` under `out`, on all cores. Deterministic for a
/// given seed whatever the thread count: each file depends only on (index, seed).
pub fn generate(out: &Path, files: usize, seed: u64) -> io::Result<Stats> {
    std::fs::create_dir_all(out)?;
    std::fs::write(out.join("changes.yaml"), CHANGES_YAML)?;
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(files.max(1));
    let results: Vec<io::Result<Stats>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                s.spawn(move || {
                    let mut stats = Stats::default();
                    let mut made: HashSet<PathBuf> = HashSet::new();
                    for index in (w..files).step_by(workers) {
                        let f = generate_file(index, seed);
                        let path = out.join(&f.path);
                        if let Some(dir) = path.parent() {
                            if !made.contains(dir) {
                                std::fs::create_dir_all(dir)?;
                                made.insert(dir.to_path_buf());
                            }
                        }
                        std::fs::write(&path, f.text.as_bytes())?;
                        stats.files += 1;
                        stats.bytes += f.text.len() as u64;
                        stats.users_files += f.mentions_users as usize;
                    }
                    Ok(stats)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("generator thread panicked")).collect()
    });
    let mut total = Stats::default();
    for r in results {
        let r = r?;
        total.files += r.files;
        total.bytes += r.bytes;
        total.users_files += r.users_files;
    }
    Ok(total)
}

/// Does `text` contain `word` as a whole word (ASCII case-insensitive, `[A-Za-z0-9_]` words)?
#[cfg(test)]
fn has_word(text: &str, word: &str) -> bool {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let lower = text.to_ascii_lowercase();
    lower.match_indices(word).any(|(i, m)| {
        (i == 0 || !is_word(bytes[i - 1])) && (i + m.len() == bytes.len() || !is_word(bytes[i + m.len()]))
    })
}

#[cfg(test)]
mod tests {
    // Paths, not imports: benches/plan.rs compiles this module with cfg(test) but no harness.
    #[test]
    fn only_users_files_mention_watched_words() {
        let mut users = 0;
        for index in 0..1500 {
            let f = super::generate_file(index, 7);
            let mentions = super::WATCHED.iter().any(|w| super::has_word(&f.text, w));
            assert_eq!(mentions, f.mentions_users, "file {index} {}", f.path.display());
            if f.mentions_users {
                users += 1;
                assert!(super::has_word(&f.text, "users"), "{}", f.path.display());
            }
        }
        assert_eq!(users, 15);
    }

    #[test]
    fn deterministic_and_sized() {
        let a = super::generate_file(42, 1);
        let b = super::generate_file(42, 1);
        assert_eq!((a.path, a.text), (b.path, b.text));
        let sizes: Vec<usize> = (0..2000).map(|i| super::generate_file(i, 3).text.len()).collect();
        let mean = sizes.iter().sum::<usize>() / sizes.len();
        assert!((6_500..10_000).contains(&mean), "mean size {mean}");
        assert!(*sizes.iter().max().unwrap() < 48 * 1024);
        assert!(*sizes.iter().min().unwrap() >= 1024);
    }
}
