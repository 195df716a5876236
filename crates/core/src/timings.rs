//! Time per phase of a run (`--verbose`, `RIPPLE_TIMINGS=1`), so that a slow phase shows
//! without a profiler. Phases keep the order they first ran in; a phase recorded twice (the
//! rules of one language over many files) adds up.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// The phases of one run, in the order they ran.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Timings {
    /// One entry per phase.
    pub phases: Vec<PhaseTime>,
}

/// The time one phase took and the files it worked on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PhaseTime {
    /// `startup`, `walk`, `read+prefilter`, `catalog`, `expansion`, `scan`, `parse`,
    /// `rules:<language>`, `merge+validate`, `migrations`, `assemble+warnings`, `dbt`,
    /// `render`.
    pub phase: String,
    /// Microseconds: wall-clock time, or for a per-file phase run on every core (`summed`)
    /// the time of its files added up over the threads.
    pub micros: u64,
    /// The files it worked on.
    pub files: usize,
    /// Whether `micros` is summed over threads (so the phases of a stage can add up to more
    /// than its wall time).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub summed: bool,
}

impl Timings {
    /// Adds `spent` over `files` to `phase` (wall-clock time).
    pub fn add(&mut self, phase: &str, spent: Duration, files: usize) {
        self.add_entry(phase, spent, files, false);
    }

    /// Adds `spent` over `files` to `phase`, time summed over the threads that ran it.
    pub fn add_summed(&mut self, phase: &str, spent: Duration, files: usize) {
        self.add_entry(phase, spent, files, true);
    }

    fn add_entry(&mut self, phase: &str, spent: Duration, files: usize, summed: bool) {
        let micros = u64::try_from(spent.as_micros()).unwrap_or(u64::MAX);
        match self.phases.iter_mut().find(|p| p.phase == phase) {
            Some(p) => {
                p.micros = p.micros.saturating_add(micros);
                p.files += files;
            }
            None => self.phases.push(PhaseTime { phase: phase.to_string(), micros, files, summed }),
        }
    }

    /// Puts `phase` first (start-up, measured by the caller before the engine ran).
    pub fn prepend(&mut self, phase: &str, spent: Duration, files: usize) {
        let micros = u64::try_from(spent.as_micros()).unwrap_or(u64::MAX);
        self.phases.insert(0, PhaseTime { phase: phase.to_string(), micros, files, summed: false });
    }

    /// One line per phase: name, milliseconds, files; summed phases marked.
    pub fn to_text(&self) -> String {
        let mut out = String::from("timings (ms; * = summed over threads):\n");
        for p in &self.phases {
            let mark = if p.summed { "*" } else { " " };
            out.push_str(&format!(
                "  {:<20} {:>10.1}{mark} {:>7} files\n",
                p.phase,
                p.micros as f64 / 1000.0,
                p.files
            ));
        }
        out
    }
}

/// A lap timer: each [`Lap::lap`] is the time since the previous one.
#[derive(Debug, Clone, Copy)]
pub struct Lap(Instant);

impl Lap {
    /// Starts now.
    pub fn start() -> Self {
        Lap(Instant::now())
    }

    /// The time since the start or the last lap; starts the next lap.
    pub fn lap(&mut self) -> Duration {
        let now = Instant::now();
        let spent = now - self.0;
        self.0 = now;
        spent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phase_recorded_twice_adds_up_and_keeps_its_place() {
        let mut t = Timings::default();
        t.add("walk", Duration::from_micros(5), 3);
        t.add_summed("rules:python", Duration::from_micros(7), 1);
        t.add_summed("rules:python", Duration::from_micros(8), 2);
        t.add("render", Duration::from_micros(1), 0);
        t.prepend("startup", Duration::from_micros(2), 0);
        let got: Vec<_> = t.phases.iter().map(|p| (p.phase.as_str(), p.micros, p.files, p.summed)).collect();
        assert_eq!(
            got,
            [
                ("startup", 2, 0, false),
                ("walk", 5, 3, false),
                ("rules:python", 15, 3, true),
                ("render", 1, 0, false)
            ]
        );
    }

    #[test]
    fn summed_is_left_out_of_json_when_false() {
        let mut t = Timings::default();
        t.add("walk", Duration::from_micros(5), 3);
        t.add_summed("parse", Duration::from_micros(5), 1);
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"[{"phase":"walk","micros":5,"files":3},{"phase":"parse","micros":5,"files":1,"summed":true}]"#
        );
    }
}
