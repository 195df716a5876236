//! `cargo xtask faults`: ripple's fault suite, run through the binary as a user runs it.
//! Kills at random moments during apply, read-only files, a full disk, writers racing apply,
//! deep nesting and huge lines, malformed change and rule files, mutated source files planned
//! and applied, and every patch through `git apply --check`. It counts panics, hangs,
//! corrupted and lost files (each must be 0) and unclear messages (exit 2 without a place).

mod apply;
mod inputs;
mod mutate;
mod run;

use crate::corpus::Rng;
use anyhow::{bail, Result};
use run::Ripple;
use std::path::PathBuf;
use std::time::Instant;

/// How much of each kind to run.
pub struct Sizes {
    pub files: usize,
    pub kills: usize,
    pub malformed: usize,
    pub mutants: usize,
    /// Statements on the megabyte lines, and changes in the largest change set.
    pub long: usize,
}

impl Sizes {
    /// A few thousand files and hundreds of inputs: a couple of minutes on two cores.
    pub const FULL: Sizes = Sizes { files: 3000, kills: 24, malformed: 300, mutants: 400, long: 40_000 };
    /// For CI: every kind, fewer of each.
    pub const QUICK: Sizes = Sizes { files: 500, kills: 6, malformed: 80, mutants: 120, long: 5_000 };
}

/// What went wrong, by kind; each entry says where.
#[derive(Default)]
pub struct Tally {
    pub runs: usize,
    pub panics: Vec<String>,
    pub hangs: Vec<String>,
    pub corrupted: Vec<String>,
    pub lost: Vec<String>,
    /// A re-run after a fault that did not complete the plan.
    pub incomplete: Vec<String>,
    /// Patches `git apply --check` refuses.
    pub rejected_patches: Vec<String>,
    /// Files a second apply changed again.
    pub unstable: Vec<String>,
    pub unclear: Vec<String>,
    /// Temporary files a later run left behind.
    pub leftovers: Vec<String>,
    /// Kinds the machine did not allow, with why.
    pub skipped: Vec<String>,
}

impl Tally {
    /// Counts a run: a panic, a hang, or exit 2 with no file:line:column in its message.
    pub fn saw(&mut self, what: &str, r: &run::Outcome) {
        self.runs += 1;
        if r.timed_out {
            self.hangs.push(format!("{what}: no exit within {:?}", r.took));
        } else if r.panicked() {
            self.panics.push(format!("{what}: {}", first_line(&r.stderr, "panicked")));
        } else if r.code == Some(2) && !run::located(&r.stderr) {
            self.unclear.push(format!("{what}: {}", r.stderr.trim()));
        }
    }

    /// Counts a run of apply: a panic or a hang. Files it could not write it names on
    /// their own, with why.
    pub fn saw_apply(&mut self, what: &str, r: &run::Outcome) {
        self.runs += 1;
        if r.timed_out {
            self.hangs.push(format!("{what}: no exit within {:?}", r.took));
        } else if r.panicked() {
            self.panics.push(format!("{what}: {}", first_line(&r.stderr, "panicked")));
        }
    }

    /// Anything but unclear messages fails the suite.
    fn failed(&self) -> bool {
        [
            &self.panics,
            &self.hangs,
            &self.corrupted,
            &self.lost,
            &self.incomplete,
            &self.rejected_patches,
            &self.unstable,
            &self.leftovers,
        ]
        .iter()
        .any(|l| !l.is_empty())
    }

    fn print(&self) {
        let kinds: [(&str, &Vec<String>); 9] = [
            ("panics", &self.panics),
            ("hangs", &self.hangs),
            ("corrupted", &self.corrupted),
            ("lost", &self.lost),
            ("incomplete re-runs", &self.incomplete),
            ("patches git rejects", &self.rejected_patches),
            ("changed by a second apply", &self.unstable),
            ("unclear messages", &self.unclear),
            ("temporary files left", &self.leftovers),
        ];
        for (name, list) in kinds {
            for item in list.iter().take(10) {
                println!("  {name}: {item}");
            }
            if list.len() > 10 {
                println!("  {name}: ... and {} more", list.len() - 10);
            }
        }
        for s in &self.skipped {
            println!("  skipped: {s}");
        }
        let counts: Vec<String> = kinds.iter().map(|(n, l)| format!("{n} {}", l.len())).collect();
        println!("summary: {} runs; {}", self.runs, counts.join(", "));
    }
}

/// The line of `text` holding `word`, else its first line.
fn first_line<'a>(text: &'a str, word: &str) -> &'a str {
    text.lines().find(|l| l.contains(word)).or_else(|| text.lines().next()).unwrap_or("").trim()
}

/// `cargo xtask faults [--quick yes] [--seed S] [--ripple BIN] [--only KIND]`.
pub fn main(quick: bool, seed: u64, binary: Option<PathBuf>, only: Option<&str>) -> Result<()> {
    let ripple = Ripple::new(binary)?;
    let sizes = if quick { Sizes::QUICK } else { Sizes::FULL };
    let scratch = tempfile::Builder::new().prefix("ripple-faults-").tempdir()?;
    let mut tally = Tally::default();
    let mut rng = Rng::new(seed);
    type Kind = fn(&Ripple, &std::path::Path, &Sizes, &mut Rng, &mut Tally) -> Result<String>;
    let kinds: [(&str, Kind); 9] = [
        ("kills", apply::kills),
        ("read-only", apply::read_only),
        ("disk-full", apply::disk_full),
        ("writers", apply::concurrent_writers),
        ("deep", inputs::deep_and_huge),
        ("changes", inputs::malformed_changes),
        ("rules", inputs::malformed_rules),
        ("mutants", mutate::mutants),
        ("patches", mutate::patch_round_trips),
    ];
    if let Some(only) = only {
        if !kinds.iter().any(|(n, _)| *n == only) {
            let names: Vec<&str> = kinds.iter().map(|(n, _)| *n).collect();
            bail!("--only takes one of {}", names.join(", "));
        }
    }
    println!("ripple fault suite: seed {seed}, {}", if quick { "quick" } else { "full" });
    let started = Instant::now();
    for (name, kind) in kinds {
        if only.is_some_and(|o| o != name) {
            continue;
        }
        let dir = scratch.path().join(name);
        std::fs::create_dir_all(&dir)?;
        let at = Instant::now();
        let line = kind(&ripple, &dir, &sizes, &mut rng, &mut tally)?;
        println!("{name:>10}: {line} ({:.1} s)", at.elapsed().as_secs_f64());
        // Scratch trees go as soon as they are checked: the disk is shared.
        let _ = run::make_writable(&dir);
        std::fs::remove_dir_all(&dir)?;
    }
    println!("in {:.1} s", started.elapsed().as_secs_f64());
    tally.print();
    if tally.failed() {
        bail!("the fault suite found panics, hangs, corrupted or lost files");
    }
    Ok(())
}
