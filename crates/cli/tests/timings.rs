//! End-to-end: `RIPPLE_TIMINGS=1` and `--verbose` report the time of each phase, in the
//! order the phases ran, with the files of each: on stderr (rendering last) and in the JSON
//! summary. Durations differ from run to run and are never asserted; names, order and file
//! counts are.

mod common;

use common::{root, stderr, stdout};
use serde_json::Value;
use std::process::{Command, Output};

fn plan(args: &[&str], timings_env: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ripple"));
    cmd.args(["plan", "--changes", "fixtures/demo/changes.yaml"]).args(args).arg("fixtures/demo");
    cmd.current_dir(root()).env_remove("RIPPLE_TIMINGS");
    if let Some(v) = timings_env {
        cmd.env("RIPPLE_TIMINGS", v);
    }
    let o = cmd.output().expect("run ripple");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    o
}

fn summary(o: &Output) -> Value {
    let plan: Value = serde_json::from_str(&stdout(o)).expect("a JSON plan");
    plan["summary"].clone()
}

/// `phase files [summed]`, one per phase.
fn phases(summary: &Value) -> Vec<String> {
    let phases = summary["timings"].as_array().expect("timings are a list");
    phases
        .iter()
        .map(|p| {
            assert!(p["micros"].is_u64(), "{p}");
            let summed = if p["summed"] == true { " summed" } else { "" };
            format!("{} {}{summed}", p["phase"].as_str().unwrap(), p["files"])
        })
        .collect()
}

/// The phase names of the stderr report, in order.
fn reported(o: &Output) -> Vec<String> {
    let text = stderr(o);
    let lines: Vec<&str> = text.lines().skip_while(|l| !l.starts_with("timings (ms")).skip(1).collect();
    assert!(!lines.is_empty(), "no timings on stderr:\n{text}");
    lines.iter().map(|l| l.split_whitespace().next().unwrap().to_string()).collect()
}

#[test]
fn ripple_timings_puts_every_phase_in_the_summary_in_order() {
    let o = plan(&["--format", "json"], Some("1"));
    insta::assert_snapshot!("timings_demo_phases", phases(&summary(&o)).join("\n"));
}

#[test]
fn stderr_reports_the_summary_phases_then_render_and_total() {
    let o = plan(&["--format", "json"], Some("1"));
    let mut expected: Vec<String> =
        phases(&summary(&o)).iter().map(|p| p.split(' ').next().unwrap().to_string()).collect();
    expected.extend(["render".into(), "total".into()]);
    assert_eq!(reported(&o), expected);
}

#[test]
fn verbose_reports_timings_in_text_and_json() {
    let text = plan(&["-v"], None);
    assert_eq!(reported(&text).first().map(String::as_str), Some("startup"));
    assert_eq!(reported(&text).last().map(String::as_str), Some("total"));
    let json = plan(&["-v", "--format", "json"], None);
    assert!(summary(&json)["timings"].is_array(), "{}", stdout(&json));
}

#[test]
fn no_timings_unless_asked() {
    for env in [None, Some("0")] {
        let o = plan(&["--format", "json"], env);
        assert!(summary(&o).get("timings").is_none(), "RIPPLE_TIMINGS={env:?}: {}", stdout(&o));
        assert!(!stderr(&o).contains("timings"), "{}", stderr(&o));
    }
}

#[test]
fn quiet_keeps_timings_off_stderr_but_in_the_summary() {
    let o = plan(&["-q", "--format", "json"], Some("1"));
    assert!(!stderr(&o).contains("timings"), "{}", stderr(&o));
    assert!(summary(&o)["timings"].is_array());
}
