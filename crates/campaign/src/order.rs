//! The order a campaign runs in: producers before the repos that read their datasets, level
//! by level, each level a wave; `--canary N` splits the first consumers off into a wave of
//! their own.

use crate::impact::FleetPlan;

/// A wave: repos (indexes into [`FleetPlan::repos`]) run together, checked together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wave {
    /// `producers`, `canary`, `consumers`, with the level: what the wave is for.
    pub label: String,
    /// The repos, by name.
    pub repos: Vec<usize>,
}

/// Two or more repos that read each other's datasets: no order puts producers first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle(pub Vec<String>);

impl std::fmt::Display for Cycle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a dependency cycle between repos: {}", self.0.join(" -> "))
    }
}

/// The waves over the repos `selected` (with work to do), producers first.
pub fn waves(plan: &FleetPlan, selected: &[usize], canary: usize) -> Result<Vec<Wave>, Cycle> {
    let levels = levels(plan)?;
    let max = selected.iter().map(|&r| levels[r]).max().unwrap_or(0);
    let mut waves = Vec::new();
    let mut canary_left = canary;
    for level in 0..=max {
        let at: Vec<usize> = selected.iter().copied().filter(|&r| levels[r] == level).collect();
        let (producers, consumers): (Vec<usize>, Vec<usize>) =
            at.into_iter().partition(|&r| !plan.repos[r].produces.is_empty());
        if !producers.is_empty() {
            waves.push(Wave { label: format!("producers, level {level}"), repos: producers });
        }
        if consumers.is_empty() {
            continue;
        }
        if canary_left > 0 {
            let n = canary_left.min(consumers.len());
            canary_left = 0;
            waves.push(Wave { label: format!("canary, level {level}"), repos: consumers[..n].to_vec() });
            if n < consumers.len() {
                waves.push(Wave {
                    label: format!("consumers, level {level}"),
                    repos: consumers[n..].to_vec(),
                });
            }
        } else {
            waves.push(Wave { label: format!("consumers, level {level}"), repos: consumers });
        }
    }
    Ok(waves)
}

/// Each repo's level: 0 without producers in the fleet, else one more than its producers'.
fn levels(plan: &FleetPlan) -> Result<Vec<usize>, Cycle> {
    let n = plan.repos.len();
    let mut level: Vec<Option<usize>> = vec![None; n];
    // 0 unvisited, 1 on the path, 2 done: a depth-first walk that names the cycle it meets.
    let mut state = vec![0u8; n];
    let mut path = Vec::new();
    for start in 0..n {
        visit(plan, start, &mut state, &mut level, &mut path)?;
    }
    Ok(level.into_iter().map(|l| l.unwrap_or(0)).collect())
}

fn visit(
    plan: &FleetPlan,
    r: usize,
    state: &mut [u8],
    level: &mut [Option<usize>],
    path: &mut Vec<usize>,
) -> Result<usize, Cycle> {
    match state[r] {
        2 => return Ok(level[r].unwrap_or(0)),
        1 => {
            let from = path.iter().position(|&p| p == r).unwrap_or(0);
            let mut names: Vec<String> =
                path[from..].iter().map(|&p| plan.repos[p].repo.name.clone()).collect();
            names.push(plan.repos[r].repo.name.clone());
            return Err(Cycle(names));
        }
        _ => {}
    }
    state[r] = 1;
    path.push(r);
    let mut mine = 0;
    for &p in &plan.repos[r].depends_on {
        mine = mine.max(visit(plan, p, state, level, path)? + 1);
    }
    path.pop();
    state[r] = 2;
    level[r] = Some(mine);
    Ok(mine)
}
