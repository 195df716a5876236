//! Baselines: the findings of a run, recorded so that later runs show only new ones (as ruff
//! and semgrep do). A finding is matched by its path, its rule and a hash of its line's text
//! (trimmed), not by its line number, so edits elsewhere in the file do not break the match;
//! the same line twice is matched as many times as it was recorded.

use crate::error::InputError;
use crate::plan::{Plan, PlanFinding};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The version of the baseline file's form.
const BASELINE_VERSION: u32 = 1;

/// Recorded findings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// [`BASELINE_VERSION`].
    pub version: u32,
    /// One per finding, in the plan's order.
    pub findings: Vec<Entry>,
}

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entry {
    /// As the plan names it.
    pub path: String,
    /// Its rule id.
    pub rule: String,
    /// FNV-1a of its line's text, trimmed, in hex.
    pub line_hash: String,
}

impl Baseline {
    /// The findings of `plan`. Each file with findings is read once more for its lines (a
    /// file that cannot be read hashes as empty lines).
    pub fn of(plan: &Plan) -> Baseline {
        let mut lines = Lines::default();
        let findings = plan.findings.iter().map(|f| lines.entry(f)).collect();
        Baseline { version: BASELINE_VERSION, findings }
    }

    /// Reads a baseline file; a malformed one is bad input, located.
    pub fn load(path: &Path) -> Result<Baseline, InputError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| InputError::file(path, format!("cannot read the baseline: {e}")))?;
        let baseline: Baseline = serde_json::from_str(&text)
            .map_err(|e| InputError::at(path, e.line(), e.column(), format!("not a ripple baseline: {e}")))?;
        if baseline.version != BASELINE_VERSION {
            return Err(InputError::file(
                path,
                format!("baseline version {} is not {BASELINE_VERSION}", baseline.version),
            ));
        }
        Ok(baseline)
    }

    /// The baseline file's text.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a baseline always serializes") + "\n"
    }

    /// Takes the recorded findings out of `plan` (each entry hides one finding) and counts
    /// them in its summary; returns how many.
    pub fn hide(&self, plan: &mut Plan) -> usize {
        let mut left: HashMap<&Entry, usize> = HashMap::new();
        for e in &self.findings {
            *left.entry(e).or_default() += 1;
        }
        let mut lines = Lines::default();
        let before = plan.findings.len();
        plan.findings.retain(|f| match left.get_mut(&lines.entry(f)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        });
        let hidden = before - plan.findings.len();
        plan.summary.findings -= hidden;
        plan.summary.suppressed += hidden;
        hidden
    }
}

/// The lines of the files findings are in, each file read once.
#[derive(Default)]
struct Lines {
    files: HashMap<PathBuf, Vec<String>>,
}

impl Lines {
    fn entry(&mut self, f: &PlanFinding) -> Entry {
        let lines = self.files.entry(f.path.clone()).or_insert_with(|| {
            let text =
                std::fs::read(&f.path).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
            text.lines().map(str::to_string).collect()
        });
        let line = f.line.checked_sub(1).and_then(|i| lines.get(i)).map_or("", |l| l.trim());
        Entry {
            path: f.path.to_string_lossy().replace('\\', "/"),
            rule: f.rule.clone(),
            line_hash: format!("{:016x}", fnv1a(line.as_bytes())),
        }
    }
}

/// The 64-bit FNV-1a hash: small, and the same on every platform and Rust version.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::fnv1a;

    #[test]
    fn fnv1a_is_the_published_function() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
