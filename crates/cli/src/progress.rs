//! A progress bar on stderr for long runs: shown only on a terminal, and only once a run
//! has taken more than a second, so short runs and pipes stay silent.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use ripple::Progress;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const DELAY: Duration = Duration::from_secs(1);

pub struct Bar {
    bar: ProgressBar,
    started: Mutex<Option<Instant>>,
    enabled: bool,
    shown: AtomicBool,
}

impl Bar {
    /// A bar that shows when `wanted` and stderr is a terminal.
    pub fn new(wanted: bool) -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} scanning {pos}/{len} files [{bar:30}] {per_sec} eta {eta}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        Bar {
            bar,
            started: Mutex::new(None),
            enabled: wanted && std::io::stderr().is_terminal(),
            shown: AtomicBool::new(false),
        }
    }
}

impl Progress for Bar {
    fn start(&self, files: usize) {
        self.bar.set_length(files as u64);
        *self.started.lock().expect("progress lock") = Some(Instant::now());
    }

    fn advance(&self) {
        self.bar.inc(1);
        if self.enabled && !self.shown.load(Ordering::Relaxed) {
            let started = *self.started.lock().expect("progress lock");
            if started.is_some_and(|s| s.elapsed() > DELAY) && !self.shown.swap(true, Ordering::Relaxed) {
                self.bar.set_draw_target(ProgressDrawTarget::stderr());
                self.bar.enable_steady_tick(Duration::from_millis(120));
            }
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
