//! A progress bar on stderr for long runs: shown only on a terminal, and only once a run
//! has taken more than a second (`RIPPLE_PROGRESS_DELAY_MS` sets another delay), so short
//! runs and pipes stay silent. It stays from then to the end of the run, across every
//! stage, and says which stage is running; each stage counts its own files and rate.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use ripple::Progress;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

const DELAY: Duration = Duration::from_secs(1);

pub struct Bar {
    bar: ProgressBar,
    /// The run is over: a bar not shown yet never will be.
    done: Arc<AtomicBool>,
}

impl Bar {
    /// A bar that shows when `wanted` and stderr is a terminal.
    pub fn new(wanted: bool) -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {pos}/{len} files [{bar:30}] {per_sec} eta {eta}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar.set_message("reading");
        let done = Arc::new(AtomicBool::new(false));
        if wanted && std::io::stderr().is_terminal() {
            // Shown by time, not by progress: a stage without files to count (the catalog,
            // the expansion) keeps the spinner turning.
            let (bar, done) = (bar.clone(), Arc::clone(&done));
            let delay = std::env::var("RIPPLE_PROGRESS_DELAY_MS")
                .ok()
                .and_then(|ms| ms.parse().ok())
                .map_or(DELAY, Duration::from_millis);
            std::thread::spawn(move || {
                std::thread::sleep(delay);
                if !done.load(Ordering::SeqCst) {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                    bar.enable_steady_tick(Duration::from_millis(120));
                }
            });
        }
        Bar { bar, done }
    }

    /// The run is over: the bar goes.
    pub fn done(&self) {
        self.done.store(true, Ordering::SeqCst);
        self.bar.finish_and_clear();
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.done();
    }
}

impl Progress for Bar {
    fn stage(&self, name: &'static str) {
        self.bar.set_message(name);
    }

    fn start(&self, files: usize) {
        self.bar.set_length(files as u64);
        self.bar.set_position(0);
        self.bar.reset_eta();
    }

    fn advance(&self) {
        self.bar.inc(1);
    }
}
