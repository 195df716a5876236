//! `cargo xtask bench-floor DIR [--changes FILE] [--runs K]`: `ripple plan` side by side with
//! `grep -rliwE` and ripgrep over the changed names, runs interleaved (one of each per
//! round, so a busy moment of the machine hits every contender alike), min and median of K;
//! ripple on 1 and 2 threads, over 3 copies of the tree, on a one-file tree (start-up); peak
//! memory; and the per-phase timings of one run.

use crate::{tree_size, watched_names, which};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One command timed in every round.
struct Contender {
    name: &'static str,
    program: PathBuf,
    args: Vec<String>,
    env: Vec<(&'static str, &'static str)>,
    walls: Vec<Duration>,
}

impl Contender {
    fn new(name: &'static str, program: &Path, args: Vec<String>) -> Self {
        Contender { name, program: program.to_path_buf(), args, env: Vec::new(), walls: Vec::new() }
    }

    fn with_env(self, key: &'static str, value: &'static str) -> Self {
        let mut env = self.env;
        env.push((key, value));
        Contender { env, ..self }
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.args).stdout(Stdio::null()).stderr(Stdio::piped());
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs it once; exit 0 and 1 are success (grep and rg exit 1 when nothing matches,
    /// ripple never does without `--check`).
    fn run(&mut self) -> Result<()> {
        let started = Instant::now();
        let output =
            self.command().output().with_context(|| format!("running {}", self.program.display()))?;
        self.walls.push(started.elapsed());
        check(self.name, &output)
    }

    fn min(&self) -> f64 {
        self.walls.iter().min().map_or(f64::NAN, Duration::as_secs_f64)
    }

    fn median(&self) -> f64 {
        let mut w = self.walls.clone();
        w.sort();
        w.get(w.len() / 2).map_or(f64::NAN, Duration::as_secs_f64)
    }

    /// Peak resident memory of one more run, in MB, from GNU time when present.
    fn peak_rss_mb(&self) -> Result<Option<f64>> {
        let gnu_time = Path::new("/usr/bin/time");
        if !gnu_time.exists() {
            return Ok(None);
        }
        let inner = self.command();
        let mut cmd = Command::new(gnu_time);
        cmd.args(["-f", "%M"])
            .arg(&self.program)
            .args(&self.args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, v) in inner.get_envs() {
            if let Some(v) = v {
                cmd.env(k, v);
            }
        }
        let output = cmd.output().context("running /usr/bin/time")?;
        check(self.name, &output)?;
        // The figure is the last line; GNU time writes a line before it when the exit is not 0.
        let text = String::from_utf8_lossy(&output.stderr);
        Ok(text.lines().last().and_then(|l| l.trim().parse::<f64>().ok()).map(|kb| kb / 1024.0))
    }
}

fn check(name: &str, output: &std::process::Output) -> Result<()> {
    match output.status.code() {
        Some(0 | 1) => Ok(()),
        code => bail!(
            "{name} exited with {code:?}:\n{}",
            String::from_utf8_lossy(&output.stderr).lines().take(20).collect::<Vec<_>>().join("\n")
        ),
    }
}

pub fn bench_floor(dir: &Path, changes: &Path, runs: usize, bin: &Path) -> Result<()> {
    let bin = bin.to_path_buf();
    let names = watched_names(changes)?;
    let (files, bytes) = tree_size(dir)?;
    let pattern = names.join("|");
    let mb = bytes as f64 / 1e6;
    println!(
        "corpus {}: {files} files ({:.1} MB) of .sql/.py/.java; names {pattern}; {runs} interleaved rounds; {}",
        dir.display(),
        mb,
        bin.display()
    );
    let plan_args = |root: &Path| -> Vec<String> {
        let mut a: Vec<String> = vec!["plan".into(), "--changes".into(), changes.display().to_string()];
        a.extend(["--format".into(), "json".into(), root.display().to_string()]);
        a
    };
    let dir_s = dir.display().to_string();
    let grep = which(Path::new("grep")).unwrap_or_else(|| PathBuf::from("grep"));
    let copies = three_copies(dir)?;
    let one_file = tempfile::tempdir()?;
    std::fs::write(one_file.path().join("report.sql"), "select user_name from users;\n")?;

    let mut contenders = vec![
        Contender::new("ripple plan", &bin, plan_args(dir)),
        Contender::new("ripple plan, 1 thread", &bin, plan_args(dir)).with_env("RAYON_NUM_THREADS", "1"),
        Contender::new("grep -rliwE", &grep, vec!["-rliwE".into(), pattern.clone(), dir_s.clone()]),
    ];
    match ripgrep() {
        Some(rg) => {
            // `--hidden`: ripple scans hidden files, as `rg --hidden` does.
            let rg_args = |jobs: Option<&str>| {
                let mut a: Vec<String> = vec!["--hidden".into(), "-li".into(), "-w".into()];
                if let Some(j) = jobs {
                    a.extend(["-j".into(), j.into()]);
                }
                a.extend(["-e".into(), pattern.clone(), dir_s.clone()]);
                a
            };
            contenders.push(Contender::new("rg -li -w", &rg, rg_args(None)));
            contenders.push(Contender::new("rg -li -w -j1", &rg, rg_args(Some("1"))));
        }
        None => println!(
            "ripgrep (rg) is not on PATH nor in ~/.cargo/bin: skipped (cargo install ripgrep --locked)"
        ),
    }
    contenders.push(Contender::new("ripple plan, 3 copies", &bin, plan_args(&copies)));
    contenders.push(Contender::new("ripple, one-file tree", &bin, plan_args(one_file.path())));

    // Warm the page cache so that every contender reads from memory.
    for c in &mut contenders {
        c.run()?;
        c.walls.clear();
    }
    for _ in 0..runs {
        for c in &mut contenders {
            c.run()?;
        }
    }

    println!("{:<24} {:>8} {:>8} {:>9}  runs (s)", "", "min s", "median s", "MB/s");
    for c in &contenders {
        let all: Vec<String> = c.walls.iter().map(|w| format!("{:.3}", w.as_secs_f64())).collect();
        let size = if c.name.contains("3 copies") { 3.0 * mb } else { mb };
        let rate =
            if c.name.contains("one-file") { String::from("-") } else { format!("{:.1}", size / c.median()) };
        println!("{:<24} {:>8.3} {:>8.3} {:>9}  {}", c.name, c.min(), c.median(), rate, all.join(" "));
    }
    let get = |name: &str| contenders.iter().find(|c| c.name == name);
    let plan = get("ripple plan").expect("always run");
    let grep_c = get("grep -rliwE").expect("always run");
    let ratio_min = plan.min() / grep_c.min();
    let ratio_median = plan.median() / grep_c.median();
    println!(
        "plan / grep: {ratio_min:.2}x min, {ratio_median:.2}x median (target <= 1.5x: {})",
        verdict(ratio_min <= 1.5)
    );
    for rg in ["rg -li -w", "rg -li -w -j1"] {
        if let Some(r) = get(rg) {
            println!(
                "plan / {rg}: {:.2}x min, {:.2}x median",
                plan.min() / r.min(),
                plan.median() / r.median()
            );
        }
    }
    let one = get("ripple plan, 1 thread").expect("always run");
    let speedup = one.median() / plan.median();
    println!(
        "1 thread / 2 threads: {speedup:.2}x median, {:.2}x min (target >= 1.8x: {})",
        one.min() / plan.min(),
        verdict(speedup >= 1.8)
    );
    let three = get("ripple plan, 3 copies").expect("always run");
    let scale = three.median() / plan.median();
    println!("3 copies / 1 copy: {scale:.2}x median (target <= 3.2x: {})", verdict(scale <= 3.2));
    let start = get("ripple, one-file tree").expect("always run");
    println!(
        "start-up (one-file tree): {:.1} ms min, {:.1} ms median (target < 20 ms: {})",
        start.min() * 1000.0,
        start.median() * 1000.0,
        verdict(start.min() < 0.020)
    );
    let rss1 = plan.peak_rss_mb()?;
    let rss3 = three.peak_rss_mb()?;
    match (rss1, rss3) {
        (Some(a), Some(b)) => println!(
            "peak RSS: {a:.1} MB (1 copy), {b:.1} MB (3 copies) (target < 256 MB: {})",
            verdict(a.max(b) < 256.0)
        ),
        _ => println!("peak RSS: unknown (no /usr/bin/time)"),
    }
    println!("\nper-phase timings of one run (RIPPLE_TIMINGS=1):");
    let output = plan.command().env("RIPPLE_TIMINGS", "1").output()?;
    check(plan.name, &output)?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let profile: Vec<&str> = stderr.lines().skip_while(|l| !l.starts_with("timings")).collect();
    println!("{}", profile.join("\n"));
    Ok(())
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "MISSED"
    }
}

/// `rg` on PATH, else where `cargo install` puts it.
fn ripgrep() -> Option<PathBuf> {
    which(Path::new("rg")).or_else(|| {
        let home = std::env::var_os("HOME")?;
        let rg = Path::new(&home).join(".cargo/bin/rg");
        rg.is_file().then_some(rg)
    })
}

/// `DIR` three times over, beside it (`<DIR>.x3/{1,2,3}`), hard-linked where the file system
/// allows (the same bytes, three times the files); made once and kept.
fn three_copies(dir: &Path) -> Result<PathBuf> {
    let name = dir.file_name().context("DIR has no name")?.to_string_lossy().into_owned();
    let copies = dir.with_file_name(format!("{name}.x3"));
    if copies.join("3").is_dir() {
        return Ok(copies);
    }
    for i in 1..=3 {
        link_tree(dir, &copies.join(i.to_string()))?;
    }
    Ok(copies)
}

fn link_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        let ft = entry.file_type()?;
        if ft.is_dir() {
            link_tree(&entry.path(), &target)?;
        } else if ft.is_file() && std::fs::hard_link(entry.path(), &target).is_err() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
