//! `--verbose` and `RIPPLE_TIMINGS=1`: the time of each phase on stderr, start-up first and
//! rendering last; the JSON summary carries every phase but rendering, which comes after it.

use crate::args::Common;
use ripple::core::Timings;
use ripple::Plan;
use std::sync::OnceLock;
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();

/// Marks the start of the process's own work; called first thing in `main`.
pub fn mark_start() {
    STARTED.get_or_init(Instant::now);
}

/// Whether this run reports its timings.
pub fn wanted(common: &Common) -> bool {
    common.verbose || std::env::var_os("RIPPLE_TIMINGS").is_some_and(|v| v == "1")
}

/// Start-up: from `main` to the engine's first stage (arguments, change set, catalog, rules,
/// configuration), put first in the plan's timings.
pub fn add_startup(plan: &mut Plan, engine_started: Instant) {
    let started = *STARTED.get_or_init(|| engine_started);
    if let Some(timings) = &mut plan.summary.timings {
        timings.prepend("startup", engine_started.saturating_duration_since(started), 0);
    }
}

/// Prints the plan's timings with rendering (since `render_started`) added, unless `--quiet`.
pub fn report(common: &Common, plan: &Plan, render_started: Instant) {
    let Some(timings) = &plan.summary.timings else { return };
    if common.quiet {
        return;
    }
    let mut timings: Timings = timings.clone();
    timings.add("render", render_started.elapsed(), plan.files.len());
    let total = STARTED.get().map(|s| s.elapsed().as_secs_f64() * 1000.0).unwrap_or_default();
    report!("{}  {:<20} {:>10.1}", timings.to_text(), "total", total);
}
