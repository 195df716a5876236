//! `cargo xtask <task>`: maintenance tasks that are not part of ripple itself.
//!
//!   gen-corpus --files N --out DIR [--seed S]     write a benchmark corpus
//!   gen-fleet --repos N --out DIR [--fail I,J]    write N git repos, a fleet file and a
//!                                                 change set (consumers I, J fail to verify)
//!   real-corpus --out DIR                         a corpus of real code on the machine
//!                                                 (Python stdlib, JDK sources, SQL files)
//!                                                 with planted consumers and a change set
//!   bench-floor DIR [--changes FILE] [--runs K] [--ripple BIN]
//!                                                 time `ripple plan` against grep and rg
//!   sql-coverage DIR --changes FILE [--dialect D] [--list yes]
//!                                                 share of statements ripple can analyse
//!   man [--out DIR]                               man pages (default: target/man)
//!   faults [--quick yes] [--seed S] [--ripple BIN] [--only KIND]
//!                                                 the fault suite (see faults/mod.rs)

mod bench;
mod corpus;
mod faults;
mod real_corpus;
mod sql_coverage;

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const USAGE: &str = "usage:
  cargo xtask gen-corpus --files N --out DIR [--seed S]
  cargo xtask gen-fleet --repos N --out DIR [--fail I,J]
  cargo xtask real-corpus --out DIR
  cargo xtask bench-floor DIR [--changes FILE] [--runs K] [--ripple BIN]
  cargo xtask sql-coverage DIR --changes FILE [--dialect D] [--list yes]
  cargo xtask man [--out DIR]
  cargo xtask faults [--quick yes] [--seed S] [--ripple BIN] [--only KIND]";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("gen-corpus") => gen_corpus(&args[1..]),
        Some("gen-fleet") => gen_fleet(&args[1..]),
        Some("bench-floor") => bench_floor(&args[1..]),
        Some("real-corpus") => real_corpus(&args[1..]),
        Some("sql-coverage") => {
            let (flags, positional) = parse_flags(&args[1..], &["changes", "dialect", "list"])?;
            let ([dir], Some(changes)) = (&positional[..], flag(&flags, "changes")) else { bail!("{USAGE}") };
            let list = flag(&flags, "list") == Some("yes");
            sql_coverage::run(Path::new(dir), Path::new(changes), flag(&flags, "dialect"), list)
        }
        Some("man") => {
            let (flags, positional) = parse_flags(&args[1..], &["out"])?;
            if !positional.is_empty() {
                bail!("{USAGE}");
            }
            man(Path::new(flag(&flags, "out").unwrap_or("target/man")))
        }
        Some("faults") => {
            let (flags, positional) = parse_flags(&args[1..], &["quick", "seed", "ripple", "only"])?;
            if !positional.is_empty() {
                bail!("{USAGE}");
            }
            let seed = flag(&flags, "seed").unwrap_or("1").parse().context("--seed: not a number")?;
            let quick = flag(&flags, "quick") == Some("yes");
            faults::main(quick, seed, flag(&flags, "ripple").map(PathBuf::from), flag(&flags, "only"))
        }
        _ => bail!("{USAGE}"),
    }
}

/// Writes the man pages with clap_mangen, through the binary's hidden `man` command: the
/// pages come from the very definition of the command line it parses.
fn man(out: &Path) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["run", "--locked", "--quiet", "-p", "ripple-cli", "--", "man"])
        .arg(out)
        .status()
        .context("run cargo")?;
    if !status.success() {
        bail!("ripple man failed: {status}");
    }
    println!("wrote the man pages to {}", out.display());
    Ok(())
}

/// `--name value` pairs, in order.
type Flags = Vec<(String, String)>;

/// Splits `--flag value` pairs from positional arguments; every flag takes a value.
fn parse_flags(args: &[String], known: &[&str]) -> Result<(Flags, Vec<String>)> {
    let mut flags = Vec::new();
    let mut positional = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(name) = a.strip_prefix("--") {
            let (name, value) = match name.split_once('=') {
                Some((n, v)) => (n.to_string(), v.to_string()),
                None => (
                    name.to_string(),
                    it.next().with_context(|| format!("--{name} needs a value\n{USAGE}"))?.clone(),
                ),
            };
            if !known.contains(&name.as_str()) {
                bail!("unknown option --{name}\n{USAGE}");
            }
            flags.push((name, value));
        } else {
            positional.push(a.clone());
        }
    }
    Ok((flags, positional))
}

fn flag<'a>(flags: &'a [(String, String)], name: &str) -> Option<&'a str> {
    flags.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

fn gen_fleet(args: &[String]) -> Result<()> {
    let (flags, positional) = parse_flags(args, &["repos", "out", "fail"])?;
    if !positional.is_empty() {
        bail!("unexpected argument {:?}\n{USAGE}", positional[0]);
    }
    let repos: usize =
        flag(&flags, "repos").context("--repos is required")?.parse().context("--repos: not a number")?;
    let out = PathBuf::from(flag(&flags, "out").context("--out is required")?);
    let failing = match flag(&flags, "fail") {
        None => Vec::new(),
        Some(list) => list
            .split(',')
            .map(|n| n.trim().parse().context("--fail: not a list of numbers"))
            .collect::<Result<_>>()?,
    };
    let started = Instant::now();
    let spec = ripple_campaign::generate::FleetSpec { repos, failing };
    let fleet = ripple_campaign::generate::generate(&out, &spec)
        .with_context(|| format!("writing {}", out.display()))?;
    println!(
        "wrote {repos} repos in {:.1} s: ripple campaign plan --changes {} --fleet {}",
        started.elapsed().as_secs_f64(),
        out.join("changes.yaml").display(),
        fleet.display()
    );
    Ok(())
}

fn gen_corpus(args: &[String]) -> Result<()> {
    let (flags, positional) = parse_flags(args, &["files", "out", "seed"])?;
    if !positional.is_empty() {
        bail!("unexpected argument {:?}\n{USAGE}", positional[0]);
    }
    let files: usize =
        flag(&flags, "files").context("--files is required")?.parse().context("--files: not a number")?;
    let out = PathBuf::from(flag(&flags, "out").context("--out is required")?);
    let seed: u64 = flag(&flags, "seed").unwrap_or("1").parse().context("--seed: not a number")?;
    let started = Instant::now();
    let stats = corpus::generate(&out, files, seed).with_context(|| format!("writing {}", out.display()))?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "wrote {} files, {} bytes ({:.1} MB), {} mentioning users, plus {} in {:.1}s",
        stats.files,
        stats.bytes,
        stats.bytes as f64 / 1e6,
        stats.users_files,
        out.join("changes.yaml").display(),
        secs
    );
    Ok(())
}

fn real_corpus(args: &[String]) -> Result<()> {
    let (flags, positional) = parse_flags(args, &["out"])?;
    if !positional.is_empty() {
        bail!("unexpected argument {:?}\n{USAGE}", positional[0]);
    }
    let out = PathBuf::from(flag(&flags, "out").context("--out is required")?);
    let started = Instant::now();
    let written = real_corpus::build(&out, &workspace_root())?;
    let (mut files, mut bytes) = (0, 0);
    for (part, count) in &written.parts {
        println!("{:>7} files {:>8.1} MB  {part}", count.files, count.bytes as f64 / 1e6);
        files += count.files;
        bytes += count.bytes;
    }
    println!(
        "wrote {files} files ({:.1} MB) and {} in {:.1} s",
        bytes as f64 / 1e6,
        out.join("changes.yaml").display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn bench_floor(args: &[String]) -> Result<()> {
    let (flags, positional) = parse_flags(args, &["changes", "runs", "ripple"])?;
    let [dir] = positional.as_slice() else { bail!("bench-floor takes one DIR\n{USAGE}") };
    let dir = PathBuf::from(dir);
    let changes = flag(&flags, "changes").map(PathBuf::from).unwrap_or_else(|| dir.join("changes.yaml"));
    let runs: usize = flag(&flags, "runs").unwrap_or("3").parse().context("--runs: not a number")?;
    if runs == 0 {
        bail!("--runs must be at least 1");
    }
    // `--ripple BIN` times another build (a release to compare with) on the same corpus.
    let bin = match flag(&flags, "ripple") {
        Some(bin) => PathBuf::from(bin),
        None => ripple_binary()?,
    };
    bench::bench_floor(&dir, &changes, runs, &bin)
}

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask is inside the workspace").to_path_buf()
}

fn ripple_binary() -> Result<PathBuf> {
    let root = workspace_root();
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    };
    let bin = target.join("release").join(format!("ripple{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        eprintln!("{} is missing: building it", bin.display());
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--release", "--locked", "-p", "ripple-cli"])
            .current_dir(&root)
            .status()
            .context("running cargo build")?;
        if !status.success() || !bin.exists() {
            bail!("cargo build --release -p ripple-cli failed");
        }
    }
    Ok(bin)
}

/// The names the prefilter watches, from the change file, loaded as the ripple binary does.
fn watched_names(changes: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(changes).with_context(|| format!("reading {}", changes.display()))?;
    let is_sql = changes.extension().is_some_and(|e| e.eq_ignore_ascii_case("sql"));
    let set = if is_sql {
        ripple_sql::migration::parse_migration(changes, &text, Default::default())
    } else {
        ripple_core::changefile::parse_change_file(changes, &text)
    };
    let set = set.map_err(|e| anyhow::anyhow!("{}: {e:?}", changes.display()))?;
    let names = set.watched_names();
    if names.is_empty() {
        bail!("{} names no table or column", changes.display());
    }
    Ok(names)
}

/// Files ripple would scan (by extension) and their bytes, for the rates.
fn tree_size(dir: &Path) -> Result<(u64, u64)> {
    let (mut files, mut bytes) = (0, 0);
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))? {
            let entry = entry?;
            let ft = entry.file_type()?;
            if ft.is_dir() {
                stack.push(entry.path());
            } else if ft.is_file() {
                let p = entry.path();
                if matches!(p.extension().and_then(|e| e.to_str()), Some("sql" | "py" | "java")) {
                    files += 1;
                    bytes += entry.metadata()?.len();
                }
            }
        }
    }
    Ok((files, bytes))
}

fn which(program: &Path) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|d| d.join(program)).find(|p| p.is_file()))
}
