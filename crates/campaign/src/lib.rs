//! Campaigns: one change set carried across a fleet of repos and owners. Each owner gets a
//! branch in a worktree of its own, verified and rolled back on failure, producers before
//! consumers, in waves; an fsynced journal makes a run resumable after a crash and a record
//! of everything done; `--shard I/N` splits the fleet across machines.
#![warn(missing_docs)]

mod branch;
pub mod describe;
pub mod fleet;
pub mod generate;
mod git;
pub mod impact;
pub mod journal;
pub mod order;
pub mod owners;
pub mod render;
pub mod run;
pub mod shard;
pub mod state;
pub mod status;
mod verify;
mod yaml;

pub use fleet::{load_fleet, Fleet, Repo};
pub use impact::{plan_fleet, FleetPlan, Inputs};
pub use run::{rollback, run_campaign, GroupBy, RunOptions};
pub use shard::Shard;
pub use status::{load_status, Status};

/// FNV-1a, 64 bits: the same on every machine and every Rust version, unlike std's hasher,
/// so shard assignment and change-set hashes agree across a fleet of runners.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Maps `f` over `items` on every core, keeping their order.
pub(crate) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<R>>> =
        items.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let r = f(item);
                *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
            });
        }
    });
    results
        .into_iter()
        .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()).expect("every item mapped"))
        .collect()
}
