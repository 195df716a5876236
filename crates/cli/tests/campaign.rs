//! `ripple campaign` end to end, on fleets generated in a temp dir: owners and their
//! branches, descriptions and publishing, a failing verify rolled back, producers first,
//! the canary and the circuit breaker, resume after SIGKILL, a re-run that changes nothing,
//! rollback, and shards that merge into the unsharded result.

mod common;

use common::{stderr, stdout};
use ripple_campaign::generate::{generate, FleetSpec};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs ripple in `cwd` with a git identity of the test's own, never the global config.
fn ripple(cwd: &Path, args: &[&str]) -> Output {
    command(cwd, args).output().expect("run ripple")
}

fn command(cwd: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ripple"));
    c.args(args).current_dir(cwd);
    for (k, v) in git_env() {
        c.env(k, v);
    }
    c
}

fn git_env() -> [(&'static str, &'static str); 8] {
    [
        ("GIT_AUTHOR_NAME", "ripple test"),
        ("GIT_AUTHOR_EMAIL", "test@example.invalid"),
        ("GIT_COMMITTER_NAME", "ripple test"),
        ("GIT_COMMITTER_EMAIL", "test@example.invalid"),
        ("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z"),
        ("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z"),
        ("GIT_CONFIG_GLOBAL", "/dev/null"),
        ("GIT_CONFIG_NOSYSTEM", "1"),
    ]
}

fn git(dir: &Path, args: &[&str]) -> String {
    let mut c = Command::new("git");
    c.args(args).current_dir(dir);
    for (k, v) in git_env() {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn fleet(repos: usize, failing: &[usize]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), &FleetSpec { repos, failing: failing.to_vec() }).unwrap();
    dir
}

fn repo(dir: &Path, name: &str) -> PathBuf {
    dir.join("repos").join(name)
}

fn branches(dir: &Path, name: &str) -> Vec<String> {
    git(&repo(dir, name), &["branch", "--format=%(refname:short)"]).lines().map(str::to_string).collect()
}

fn worktrees(dir: &Path, name: &str) -> usize {
    git(&repo(dir, name), &["worktree", "list", "--porcelain"]).matches("worktree ").count()
}

const RUN: [&str; 8] =
    ["campaign", "run", "--changes", "changes.yaml", "--fleet", "fleet.yaml", "--state", "state"];

fn run(dir: &Path, extra: &[&str]) -> Output {
    let args: Vec<&str> = RUN.iter().copied().chain(extra.iter().copied()).collect();
    ripple(dir, &args)
}

fn status_json(dir: &Path, state: &str) -> serde_json::Value {
    let out = ripple(dir, &["campaign", "status", "--state", state, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// Every branch's state, by repo: what must agree between runs.
fn outcomes(status: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    for r in status["repos"].as_array().unwrap() {
        for b in r["branches"].as_array().unwrap() {
            out.push(format!("{} {} {} verified={}", r["repo"], b["branch"], b["state"], b["verified"]));
        }
    }
    out
}

/// The journal's outcomes in order, as `repo branch outcome`.
fn journal(dir: &Path, state: &str) -> Vec<String> {
    std::fs::read_to_string(dir.join(state).join("journal.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            let e: serde_json::Value = serde_json::from_str(l).unwrap();
            format!(
                "{} {} {}",
                e["repo"].as_str().unwrap(),
                e["branch"].as_str().unwrap(),
                e["outcome"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn plan_shows_producers_consumers_and_owners_per_dataset() {
    let dir = fleet(5, &[]);
    let text =
        ripple(dir.path(), &["campaign", "plan", "--changes", "changes.yaml", "--fleet", "fleet.yaml"]);
    assert_eq!(text.status.code(), Some(0), "{}", stderr(&text));
    insta::assert_snapshot!("campaign_plan_text", stdout(&text));
    let json = ripple(
        dir.path(),
        &["campaign", "plan", "-c", "changes.yaml", "--fleet", "fleet.yaml", "--format", "json"],
    );
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    insta::assert_json_snapshot!("campaign_plan_json", value);
}

#[test]
fn a_branch_per_owner_with_its_description_published_and_a_failing_verify_rolled_back() {
    let dir = fleet(4, &[3]);
    let calls = dir.path().join("calls.txt");
    let publish = format!(
        "printf '%s|%s|%s|%s\\n' \"$RIPPLE_REPO\" \"$RIPPLE_BRANCH\" \"$RIPPLE_OWNERS\" \"$(basename \"$RIPPLE_DESCRIPTION\")\" >> {}",
        calls.display()
    );
    let before = git(&repo(dir.path(), "svc-0002"), &["rev-parse", "HEAD"]);
    let out = run(dir.path(), &["--name", "rename-user-name", "--publish", &publish]);
    assert_eq!(out.status.code(), Some(1), "a rolled-back branch exits 1: {}", stderr(&out));
    assert_eq!(stdout(&out), "5 branches made, 2 rolled back, 0 blocked, 0 not run\n");

    // One branch per owner group; the user's checkout, branch and index are untouched.
    assert_eq!(
        branches(dir.path(), "svc-0002"),
        ["main", "ripple/rename-user-name/analysts", "ripple/rename-user-name/team-2"]
    );
    assert_eq!(
        branches(dir.path(), "svc-0001"),
        ["main", "ripple/rename-user-name/analysts", "ripple/rename-user-name/group-svc-1-devs"]
    );
    let svc2 = repo(dir.path(), "svc-0002");
    assert_eq!(git(&svc2, &["rev-parse", "HEAD"]), before);
    assert_eq!(git(&svc2, &["status", "--porcelain"]), "");
    assert_eq!(git(&svc2, &["rev-parse", "--abbrev-ref", "HEAD"]), "main\n");
    assert_eq!(worktrees(dir.path(), "svc-0002"), 1, "the branch's worktree is removed once it is done");
    let diff = git(&svc2, &["diff", "main", "ripple/rename-user-name/team-2"]);
    assert!(
        diff.contains("+        return jdbc.queryForList(\"SELECT username AS user_name FROM users\");"),
        "{diff}"
    );
    let message = git(&svc2, &["log", "-1", "--format=%B", "ripple/rename-user-name/team-2"]);
    assert!(message.starts_with("ripple: apply changes.yaml (rename-user-name)\n"), "{message}");

    // The failing repo: both its branches deleted, the reason and the log's tail kept.
    assert_eq!(branches(dir.path(), "svc-0003"), ["main"]);
    assert_eq!(worktrees(dir.path(), "svc-0003"), 1);
    assert!(!dir.path().join("state/worktrees").exists(), "no worktree left in the state directory");
    let status = ripple(dir.path(), &["campaign", "status", "--state", "state"]);
    insta::assert_snapshot!("campaign_status_text", scrub_times(&stdout(&status)));

    let description =
        std::fs::read_to_string(dir.path().join("state/descriptions/svc-0003/team-3.md")).unwrap();
    insta::assert_snapshot!(
        "campaign_description_failed",
        scrub_times(&description.replace(&change_set(dir.path()), "<hash>"))
    );
    let description =
        std::fs::read_to_string(dir.path().join("state/descriptions/svc-0002/team-2.md")).unwrap();
    insta::assert_snapshot!(
        "campaign_description_verified",
        scrub_times(&description.replace(&change_set(dir.path()), "<hash>"))
    );

    // Published once per verified branch, never for a failed one.
    let mut calls: Vec<String> =
        std::fs::read_to_string(&calls).unwrap().lines().map(str::to_string).collect();
    calls.sort();
    insta::assert_snapshot!("campaign_publish_calls", calls.join("\n"));
}

/// Command durations differ between runs.
fn scrub_times(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(" in ") {
        let (head, tail) = rest.split_at(i + 4);
        out.push_str(head);
        let digits = tail.find(" s").filter(|&j| tail[..j].chars().all(|c| c.is_ascii_digit() || c == '.'));
        rest = match digits {
            Some(j) if j > 0 => {
                out.push_str("<t>");
                &tail[j..]
            }
            _ => tail,
        };
    }
    out.push_str(rest);
    out
}

fn change_set(dir: &Path) -> String {
    status_json(dir, "state")["change_set"].as_str().unwrap().to_string()
}

#[test]
fn producers_go_first_and_a_failed_producer_blocks_its_consumers() {
    let dir = fleet(4, &[]);
    let out = run(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let entries = journal(dir.path(), "state");
    let last_producer = entries.iter().rposition(|e| e.starts_with("warehouse ")).unwrap();
    let first_consumer = entries.iter().position(|e| e.starts_with("svc-")).unwrap();
    assert!(last_producer < first_consumer, "{entries:#?}");

    let dir = fleet(4, &[]);
    let warehouse = repo(dir.path(), "warehouse");
    std::fs::write(warehouse.join("verify.sh"), "echo 'schema check failed' >&2\nexit 3\n").unwrap();
    git(&warehouse, &["commit", "-qam", "a failing check"]);
    let out = run(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "0 branches made, 1 rolled back, 6 blocked, 0 not run\n");
    for svc in ["svc-0001", "svc-0002", "svc-0003"] {
        assert_eq!(branches(dir.path(), svc), ["main"], "{svc}: not made before its producer verified");
    }
    let status = status_json(dir.path(), "state");
    let b = &status["repos"][0]["branches"][0];
    assert_eq!(
        (b["state"].as_str(), b["reason"].as_str()),
        (Some("blocked"), Some("producer warehouse did not verify"))
    );
}

#[test]
fn a_failing_canary_stops_the_campaign_and_so_does_the_circuit_breaker() {
    // Consumers svc-0001 and svc-0002 form the canary wave; svc-0001 fails.
    let dir = fleet(6, &[1]);
    let out = run(dir.path(), &["--canary", "2"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "3 branches made, 2 rolled back, 0 blocked, 6 not run\nstopped: the canary wave failed: 1 of 2 repos of \
wave `canary, level 1` failed (more than 0%); later waves not run\n"
    );
    assert_eq!(branches(dir.path(), "svc-0005"), ["main"]);

    // Allowed up to 60% per wave: the canary's 50% passes and the rest runs.
    let dir = fleet(6, &[1]);
    let out = run(dir.path(), &["--canary", "2", "--max-failure-rate", "0.6"]);
    assert_eq!(stdout(&out), "9 branches made, 2 rolled back, 0 blocked, 0 not run\n");

    // Above 40%: the breaker opens after the canary wave.
    let dir = fleet(6, &[1]);
    let out = run(dir.path(), &["--canary", "2", "--max-failure-rate", "0.4"]);
    assert!(stdout(&out).contains("6 not run\nstopped: the canary wave failed: 1 of 2"), "{}", stdout(&out));
    let dir = fleet(6, &[1, 2, 3]);
    let out = run(dir.path(), &["--canary", "1", "--max-failure-rate", "1"]);
    assert_eq!(stdout(&out), "5 branches made, 6 rolled back, 0 blocked, 0 not run\n", "{}", stderr(&out));
}

#[test]
fn killed_in_the_middle_the_campaign_resumes_without_duplicates_and_a_rerun_changes_nothing() {
    let dir = fleet(5, &[]);
    // svc-0002's verify SIGKILLs ripple itself (its nearest ancestor of that name) the first
    // time, with the branch committed and its worktree in place.
    let svc2 = repo(dir.path(), "svc-0002");
    let marker = dir.path().join("killed");
    let script = format!(
        "if [ ! -f {m} ]; then\n  touch {m}\n  p=$PPID\n  while [ \"$(cat /proc/$p/comm)\" != ripple ]; do p=$(cut -d' ' -f4 /proc/$p/stat); done\n  kill -9 $p\n  sleep 5\nfi\necho ok\n",
        m = marker.display()
    );
    std::fs::write(svc2.join("verify.sh"), script).unwrap();
    git(&svc2, &["commit", "-qam", "a verify that kills"]);
    let out = run(dir.path(), &[]);
    assert_eq!(out.status.code(), None, "killed by SIGKILL");
    assert!(branches(dir.path(), "svc-0002").len() > 1, "killed while a branch was made");

    let out = run(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "9 branches made, 0 rolled back, 0 blocked, 0 not run\n");
    for name in ["warehouse", "svc-0001", "svc-0002", "svc-0003", "svc-0004"] {
        assert_eq!(worktrees(dir.path(), name), 1, "{name}: no stale worktree");
    }
    assert_eq!(
        branches(dir.path(), "svc-0002"),
        ["main", "ripple/changes/analysts", "ripple/changes/team-2"]
    );
    let entries = journal(dir.path(), "state");
    for e in entries.iter().filter(|e| e.ends_with(" finished")) {
        assert_eq!(entries.iter().filter(|x| *x == e).count(), 1, "made once: {e}");
    }
    assert!(entries.iter().any(|e| e.starts_with("svc-0002 ") && e.ends_with(" abandoned")), "{entries:#?}");

    // Everything done: another run changes no byte of the state and no branch.
    let journal_before = std::fs::read(dir.path().join("state/journal.jsonl")).unwrap();
    let out = run(dir.path(), &[]);
    assert_eq!(
        stdout(&out),
        "9 branches made, 0 rolled back, 0 blocked, 0 not run (nothing to do: every branch is done)\n"
    );
    assert_eq!(std::fs::read(dir.path().join("state/journal.jsonl")).unwrap(), journal_before);
}

#[test]
fn killed_at_any_moment_a_rerun_leaves_exactly_the_branches_of_an_uninterrupted_run() {
    let reference = fleet(4, &[2]);
    run(reference.path(), &[]);
    let expected: Vec<Vec<String>> = ["warehouse", "svc-0001", "svc-0002", "svc-0003"]
        .iter()
        .map(|r| branches(reference.path(), r))
        .collect();
    for delay_ms in [30, 120, 400, 900] {
        let dir = fleet(4, &[2]);
        let mut child = command(dir.path(), &RUN)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        let out = run(dir.path(), &[]);
        assert_eq!(out.status.code(), Some(1), "after {delay_ms} ms: {}", stderr(&out));
        for (i, name) in ["warehouse", "svc-0001", "svc-0002", "svc-0003"].iter().enumerate() {
            assert_eq!(branches(dir.path(), name), expected[i], "{name}, killed after {delay_ms} ms");
            assert_eq!(worktrees(dir.path(), name), 1, "{name}, killed after {delay_ms} ms");
        }
        let entries = journal(dir.path(), "state");
        let finals: Vec<&String> =
            entries.iter().filter(|e| e.ends_with(" finished") || e.ends_with(" rolled_back")).collect();
        assert_eq!(finals.len(), 7, "each branch ends once, killed after {delay_ms} ms: {entries:#?}");
    }
}

#[test]
fn rollback_deletes_what_the_campaign_made_and_nothing_else() {
    let dir = fleet(3, &[]);
    let svc2 = repo(dir.path(), "svc-0002");
    git(&svc2, &["branch", "feature"]);
    // A branch of the campaign's name that someone else made: never touched.
    git(&svc2, &["branch", "ripple/changes/team-2"]);
    let out = run(dir.path(), &[]);
    assert_eq!(stdout(&out), "4 branches made, 0 rolled back, 1 blocked, 0 not run\n");
    let out = ripple(dir.path(), &["campaign", "rollback", "--state", "state", "--repo", "svc-0001"]);
    assert_eq!(stdout(&out), "2 branches deleted\n");
    assert_eq!(branches(dir.path(), "svc-0001"), ["main"]);
    assert_eq!(branches(dir.path(), "svc-0002").len(), 4, "other repos untouched");
    let out = ripple(dir.path(), &["campaign", "rollback", "--state", "state"]);
    assert_eq!(stdout(&out), "2 branches deleted\n");
    assert_eq!(branches(dir.path(), "svc-0002"), ["feature", "main", "ripple/changes/team-2"]);
    assert_eq!(branches(dir.path(), "warehouse"), ["main"]);
    let out = ripple(dir.path(), &["campaign", "rollback", "--state", "state", "--repo", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no repo `nope` in this campaign"), "{}", stderr(&out));
}

#[test]
fn shards_run_as_separate_processes_merge_into_the_unsharded_result() {
    let whole = fleet(8, &[2, 5]);
    run(whole.path(), &[]);
    let expected = status_json(whole.path(), "state");

    let sharded = fleet(8, &[2, 5]);
    let children: Vec<_> = (0..3)
        .map(|i| {
            let (shard, state) = (format!("{i}/3"), format!("state-{i}"));
            let args: Vec<&str> =
                RUN[..6].iter().copied().chain(["--state", &state, "--shard", &shard]).collect();
            command(sharded.path(), &args)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        c.wait().unwrap();
    }
    let out =
        ripple(sharded.path(), &["campaign", "merge", "state-0", "state-1", "state-2", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let merged: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(outcomes(&merged), outcomes(&expected));
    assert_eq!(merged["totals"], expected["totals"]);
    assert_eq!(merged["owners"], expected["owners"]);
    let sizes: Vec<usize> = (0..3).map(|i| journal(sharded.path(), &format!("state-{i}")).len()).collect();
    assert!(sizes.iter().all(|&n| n > 0), "every shard took some repos: {sizes:?}");
}

#[test]
fn bad_fleet_files_a_cycle_and_a_foreign_state_are_bad_input() {
    let dir = fleet(2, &[]);
    std::fs::write(dir.path().join("bad.yaml"), "repos:\n  - path: repos/warehouse\n    verify: [make]\n")
        .unwrap();
    let out = ripple(dir.path(), &["campaign", "plan", "-c", "changes.yaml", "--fleet", "bad.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "error: bad.yaml:3:13: `verify` must be a non-empty string, found a list\n");

    // a defines t1 and reads t2; b defines t2 and reads t1.
    for (name, defines, reads) in [("a", "t1", "t2"), ("b", "t2", "t1")] {
        let r = dir.path().join("cyc").join(name);
        std::fs::create_dir_all(&r).unwrap();
        std::fs::write(r.join("schema.sql"), format!("CREATE TABLE {defines} (id INT, c INT);\n")).unwrap();
        std::fs::write(r.join("report.sql"), format!("SELECT c FROM {reads};\n")).unwrap();
        git(&r, &["init", "-q"]);
        git(&r, &["add", "."]);
        git(&r, &["commit", "-qm", "init"]);
    }
    std::fs::write(dir.path().join("cyc/fleet.yaml"), "discover: .\n").unwrap();
    let changes = "changes:\n  - {kind: rename_column, table: t1, from: c, to: d}\n  - {kind: rename_column, table: t2, from: c, to: d}\n";
    std::fs::write(dir.path().join("cyc/changes.yaml"), changes).unwrap();
    let cyc = dir.path().join("cyc");
    let out = ripple(&cyc, &["campaign", "plan", "-c", "changes.yaml", "--fleet", "fleet.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "error: fleet.yaml: a dependency cycle between repos: a -> b -> a (each reads a dataset the next one defines)\n");

    run(dir.path(), &[]);
    let out = ripple(
        dir.path(),
        &[
            "campaign",
            "run",
            "-c",
            "changes.yaml",
            "--fleet",
            "fleet.yaml",
            "--state",
            "state",
            "--name",
            "other",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("this state directory belongs to campaign `changes`"), "{}", stderr(&out));
}

#[test]
fn the_readme_example_on_the_bundled_fixture_fleet() {
    let dir = tempfile::tempdir().unwrap();
    let init = common::root().join("fixtures/fleet/init.sh");
    let out = Command::new("sh").arg(&init).arg(dir.path()).envs(git_env()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let plan =
        ripple(dir.path(), &["campaign", "plan", "--changes", "changes.yaml", "--fleet", "fleet.yaml"]);
    insta::assert_snapshot!("readme_fleet_plan", stdout(&plan));
    let out = run(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "web's checks fail: {}", stderr(&out));
    let status = ripple(dir.path(), &["campaign", "status", "--state", "state"]);
    insta::assert_snapshot!("readme_fleet_status", scrub_times(&stdout(&status)));
    let out = ripple(dir.path(), &["campaign", "rollback", "--state", "state"]);
    assert_eq!(stdout(&out), "3 branches deleted\n");
}
