//! `--shard I/N`: which repos one runner of N takes, by a stable hash of the repo's name, so
//! every runner agrees without talking to the others.

use crate::stable_hash;

/// Shard `index` of `count` (0-based, as `JOB_COMPLETION_INDEX` counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    /// This runner's index, below `count`.
    pub index: u32,
    /// How many runners share the fleet.
    pub count: u32,
}

impl Shard {
    /// Parses `I/N`.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || format!("--shard takes I/N with 0 <= I < N (such as 0/4), not `{text}`");
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let (index, count): (u32, u32) =
            (i.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// Does this shard take the repo of this name?
    pub fn takes(&self, repo: &str) -> bool {
        stable_hash(repo.as_bytes()) % u64::from(self.count) == u64::from(self.index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_repo_lands_in_exactly_one_shard() {
        let shards: Vec<Shard> = (0..3).map(|i| Shard { index: i, count: 3 }).collect();
        for n in 0..50 {
            let name = format!("repo-{n}");
            assert_eq!(shards.iter().filter(|s| s.takes(&name)).count(), 1);
        }
        // Stable across machines and releases: a fixed value.
        assert_eq!(stable_hash(b"warehouse") % 3, 0);
    }

    #[test]
    fn bad_shards_are_refused() {
        assert_eq!(Shard::parse("1/4"), Ok(Shard { index: 1, count: 4 }));
        for bad in ["4/4", "1", "a/2", "0/0"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }
}
