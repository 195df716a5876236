//! `campaign plan` and `campaign run` over a generated fleet of `RIPPLE_BENCH_REPOS` repos
//! (default 100), in repos per second. Run it at two sizes to see that both grow linearly.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ripple_campaign::generate::{generate, FleetSpec};
use ripple_campaign::{
    load_fleet, plan_fleet, rollback, run_campaign, FleetPlan, GroupBy, Inputs, RunOptions,
};
use std::path::Path;
use std::time::{Duration, Instant};

fn repos() -> usize {
    std::env::var("RIPPLE_BENCH_REPOS").ok().and_then(|n| n.parse().ok()).unwrap_or(100)
}

fn plan(dir: &Path, rules: &ripple::RuleSet) -> FleetPlan {
    let fleet = load_fleet(&dir.join("fleet.yaml")).expect("generated fleet loads");
    let changes_path = dir.join("changes.yaml");
    let changes = ripple::load_changes(&changes_path, Default::default()).expect("changes load");
    let inputs = Inputs {
        changes_path: &changes_path,
        changes,
        rules,
        options: Default::default(),
        catalog: Default::default(),
    };
    plan_fleet(inputs, &fleet).expect("fleet plans")
}

fn campaign(c: &mut Criterion) {
    for (k, v) in [("GIT_AUTHOR_NAME", "bench"), ("GIT_COMMITTER_NAME", "bench")].into_iter().chain([
        ("GIT_AUTHOR_EMAIL", "bench@example.invalid"),
        ("GIT_COMMITTER_EMAIL", "bench@example.invalid"),
    ]) {
        std::env::set_var(k, v);
    }
    let n = repos();
    let dir = tempfile::tempdir().expect("temp dir");
    generate(dir.path(), &FleetSpec { repos: n, failing: vec![] }).expect("fleet generates");
    let rules = ripple::default_rules();
    let mut group = c.benchmark_group("campaign");
    group.sample_size(10).throughput(Throughput::Elements(n as u64));
    group.bench_function(format!("plan/{n}"), |b| b.iter(|| plan(dir.path(), &rules)));
    let planned = plan(dir.path(), &rules);
    let mut round = 0;
    group.bench_function(format!("run/{n}"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                round += 1;
                let state = dir.path().join(format!("state-{round}"));
                let options = RunOptions {
                    state: state.clone(),
                    campaign: format!("bench-{round}"),
                    group_by: GroupBy::Owner,
                    canary: 0,
                    max_failure_rate: None,
                    publish: None,
                    shard: None,
                };
                let started = Instant::now();
                run_campaign(&planned, &options).expect("campaign runs");
                total += started.elapsed();
                rollback(&state, None).expect("rollback");
            }
            total
        })
    });
    group.finish();
}

criterion_group!(benches, campaign);
criterion_main!(benches);
