//! `plan` over a generated mixed corpus, and the prefilter alone over the same bytes.
//! `cargo xtask bench-floor` measures the binary against grep on a large tree; this keeps
//! a small, repeatable figure for the library.

// The generator is std-only and shared with `cargo xtask gen-corpus` by path, not copied.
#[path = "../xtask/src/corpus/mod.rs"]
#[allow(dead_code)]
mod corpus;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ripple::{Change, ChangeSet, NoProgress, Request};
use ripple_core::prefilter::NameMatcher;
use ripple_core::{Ident, TableName};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

const FILES: usize = 2_000;
const SEED: u64 = 1;

/// The change set of `corpus::CHANGES_YAML`, built in code.
fn changes() -> ChangeSet {
    let users = || TableName::parse("users");
    ChangeSet::new(vec![
        Change::RenameColumn { table: users(), from: Ident::new("user_name"), to: Ident::new("username") },
        Change::ChangeType {
            table: users(),
            column: Ident::new("age"),
            from: Some("INT".into()),
            to: "BIGINT".into(),
        },
        Change::DropColumn { table: users(), column: Ident::new("legacy_flag") },
    ])
}

fn read_tree(dir: &std::path::Path) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("corpus dir is readable") {
            let path = entry.expect("corpus entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if ripple_core::Lang::of_path(&path).is_some() {
                out.push(std::fs::read(&path).expect("corpus file is readable"));
            }
        }
    }
    out
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let stats = corpus::generate(dir.path(), FILES, SEED).expect("corpus written");
    let throughput = Throughput::ElementsAndBytes { elements: stats.files as u64, bytes: stats.bytes };

    let rules = ripple::default_rules();
    let request = Request::new(changes(), vec![dir.path().to_path_buf()]);
    let mut group = c.benchmark_group("corpus");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    group.throughput(throughput.clone());

    // Sanity: the prefilter lets through exactly the files that mention `users`.
    let first = ripple::plan(&rules, &request, &NoProgress).expect("plan runs");
    assert_eq!(first.summary.files_scanned, stats.files);
    assert_eq!(first.summary.files_parsed, stats.users_files);

    group.bench_function("plan", |b| {
        b.iter(|| ripple::plan(&rules, &request, &NoProgress).expect("plan runs"))
    });

    let matcher = NameMatcher::new(request.changes.watched_names());
    let contents = read_tree(dir.path());
    group.bench_function("prefilter", |b| {
        b.iter(|| contents.iter().filter(|bytes| matcher.is_relevant(black_box(bytes))).count())
    });
    group.finish();
}

/// A Python and a Java string of 2,000 `+` pieces: time must grow linearly with the pieces
/// (a quadratic step made the Python one take seconds).
fn string_chains(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let piece = |i: usize| format!("\"select user_name from users where a = {i} \"");
    let chain = (0..2000).map(piece).collect::<Vec<_>>().join(" + ");
    std::fs::write(dir.path().join("chain.py"), format!("q = {chain}\ncursor.execute(q)\n"))
        .expect("written");
    std::fs::write(
        dir.path().join("Chain.java"),
        format!("class Chain {{ void f() {{ String q = {chain}; jdbc.execute(q); }} }}\n"),
    )
    .expect("written");
    let rules = ripple::default_rules();
    let request = Request::new(changes(), vec![dir.path().to_path_buf()]);
    let mut group = c.benchmark_group("pathological");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    group.bench_function("string-chains-2000", |b| {
        b.iter(|| ripple::plan(&rules, &request, &NoProgress).expect("plan runs"))
    });
    group.finish();
}

criterion_group!(plan_benches, benches, string_chains);
criterion_main!(plan_benches);
