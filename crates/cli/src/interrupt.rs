//! SIGINT and SIGTERM while apply writes: the file in flight is finished, the rest is left
//! as it is, and the run stops with a message. A second signal stops at once (a temporary
//! file it may leave is removed by the next run).

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::flag;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// The signal received since [`Interrupt::install`], if any.
pub struct Interrupt {
    signal: Arc<AtomicUsize>,
}

impl Interrupt {
    /// Catches SIGINT and SIGTERM from now on. Handlers that cannot be installed leave the
    /// default (the next run cleans up after a kill).
    pub fn install() -> Interrupt {
        let signal = Arc::new(AtomicUsize::new(0));
        let once = Arc::new(AtomicBool::new(false));
        for sig in [SIGINT, SIGTERM] {
            // Registered first, so it sees the flag as the previous signal left it.
            let _ = flag::register_conditional_shutdown(sig, 128 + sig, Arc::clone(&once));
            let _ = flag::register(sig, Arc::clone(&once));
            let _ = flag::register_usize(sig, Arc::clone(&signal), sig as usize);
        }
        Interrupt { signal }
    }

    /// The signal's number, once one came.
    pub fn received(&self) -> Option<i32> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            sig => i32::try_from(sig).ok(),
        }
    }

    /// Its name, for messages.
    pub fn name(sig: i32) -> &'static str {
        match sig {
            SIGINT => "SIGINT",
            SIGTERM => "SIGTERM",
            _ => "a signal",
        }
    }
}
