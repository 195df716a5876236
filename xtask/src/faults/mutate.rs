//! Mutated source files (the repository's SQL, Python, Java and MyBatis fixtures with bytes
//! flipped, cut and inserted) planned, patched and applied: no panic, no hang, every patch
//! accepted by `git apply --check`, no rewrite that parses worse than its original, and a
//! second apply that changes nothing. Then files whose names and bytes git treats
//! specially, through a patch and back.

use super::run::{files_under, write, Ripple, CHANGES};
use super::{Sizes, Tally};
use crate::corpus::Rng;
use anyhow::{Context, Result};
use ripple_core::Lang;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(120);

/// What source mutants are made of besides their seed's bytes.
const SOURCE_TOKENS: &[&[u8]] = &[
    b"'",
    b"\"",
    b"`",
    b"\"\"\"",
    b"(",
    b")",
    b"[",
    b"]",
    b"{",
    b"}",
    b"{{",
    b"}}",
    b"{%",
    b"%}",
    b"{#",
    b"#}",
    b"--",
    b"/*",
    b"*/",
    b"$$",
    b"\\",
    b"\n",
    b"\r",
    b"\t",
    b";",
    b",",
    b" + ",
    b"f'",
    b"r\"",
    b"%s",
    b"?",
    b"user_name",
    b"users",
    b" as ",
    b"\xc3\xa9",
    b"\xef\xbb\xbf",
    b"<",
    b">",
    b"<![CDATA[",
    b"]]>",
];

/// `seed` with one to three faults: a byte flipped, a cut, a token inserted, a range
/// dropped or doubled.
pub fn mutate(seed: &[u8], rng: &mut Rng, tokens: &[&[u8]]) -> Vec<u8> {
    let mut out = seed.to_vec();
    for _ in 0..rng.range(1, 3) {
        let at = rng.below(out.len() + 1);
        match rng.below(6) {
            0 if at < out.len() => out[at] ^= 1 << rng.below(8),
            1 => out.truncate(at),
            2 | 3 => {
                let t = rng.pick(tokens);
                out.splice(at..at, t.iter().copied());
            }
            4 => {
                let end = (at + rng.below(40)).min(out.len());
                out.drain(at..end);
            }
            _ => {
                let end = (at + rng.below(80)).min(out.len());
                let copy = out[at..end].to_vec();
                out.splice(at..at, copy);
            }
        }
    }
    out
}

/// The fixtures mutants start from: sources ripple reads that mention a watched name.
fn seeds() -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let fixtures = crate::workspace_root().join("fixtures");
    let mut out = Vec::new();
    for f in files_under(&fixtures) {
        let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("");
        let len = std::fs::metadata(&f)?.len();
        if matches!(ext, "sql" | "py" | "java" | "xml") && len < 20_000 {
            let bytes = std::fs::read(&f)?;
            if String::from_utf8_lossy(&bytes).contains("user") {
                out.push((f.strip_prefix(&fixtures)?.to_path_buf(), bytes));
            }
        }
    }
    Ok(out)
}

/// Syntax errors of a file's text, as ripple's grammars count them.
fn errors(rel: &Path, bytes: &[u8]) -> Option<usize> {
    let lang = Lang::of_path(rel)?;
    let text = std::str::from_utf8(bytes).ok()?;
    lang.grammar()?;
    Some(ripple_core::lang::syntax_error_count(&lang.parse(text)))
}

/// `git apply --check` of `patch` in `cwd`: its complaint, if any.
fn git_apply_check(cwd: &Path, patch: &[u8]) -> Result<Option<String>> {
    let mut child = Command::new("git")
        .args(["apply", "--check", "-"])
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .context("run git apply")?;
    child.stdin.take().expect("piped").write_all(patch)?;
    let o = child.wait_with_output()?;
    Ok((!o.status.success()).then(|| String::from_utf8_lossy(&o.stderr).trim().to_string()))
}

/// The changes mutants are planned with: every kind, on the fixtures' tables.
const MUTANT_CHANGES: &str = "changes:\n  - {kind: rename_column, table: users, from: user_name, to: username}\n  - {kind: drop_column, table: users, column: legacy_flag}\n  - {kind: change_type, table: users, column: age, from: INT, to: BIGINT}\n  - {kind: rename_table, from: orders, to: purchases}\n";

/// Batches of mutants: planned as a patch (checked by git), applied, applied again.
pub fn mutants(
    ripple: &Ripple,
    dir: &Path,
    sizes: &Sizes,
    rng: &mut Rng,
    tally: &mut Tally,
) -> Result<String> {
    let seeds = seeds()?;
    std::fs::write(dir.join("changes.yaml"), MUTANT_CHANGES)?;
    let (mut rewritten, mut patches) = (0, 0);
    let batch = 20;
    for b in 0..sizes.mutants.div_ceil(batch) {
        let work = dir.join("work");
        let _ = std::fs::remove_dir_all(&work);
        let mut files = Vec::new();
        for i in 0..batch {
            let (rel, seed) = &seeds[rng.below(seeds.len())];
            let name = format!("m{i}-{}", rel.file_name().expect("a file").to_string_lossy());
            let bytes = mutate(seed, rng, SOURCE_TOKENS);
            write(&work, &name, &bytes)?;
            files.push((PathBuf::from(name), bytes));
        }
        let what = format!("mutant batch {b}");
        let args = ["plan", "--format", "patch", "--changes", "../changes.yaml", "."];
        let o = ripple.run(&work, &args, LIMIT)?;
        tally.saw(&format!("{what}: plan"), &o);
        if o.panicked() || o.timed_out {
            // Name the mutants that fail on their own, keeping them for a report.
            single_out(ripple, dir, &files, tally)?;
            continue;
        }
        if !o.stdout.is_empty() {
            patches += 1;
            if let Some(why) = git_apply_check(&work, &o.stdout)? {
                tally.rejected_patches.push(format!("{what}: {why}"));
            }
        }
        let o = ripple.run(&work, &["apply", "--quiet", "--changes", "../changes.yaml", "."], LIMIT)?;
        tally.saw(&format!("{what}: apply"), &o);
        let mut after = Vec::new();
        for (rel, before) in &files {
            let now = std::fs::read(work.join(rel))?;
            if now != *before {
                rewritten += 1;
                if let (Some(e0), Some(e1)) = (errors(rel, before), errors(rel, &now)) {
                    if e1 > e0 {
                        tally.corrupted.push(format!(
                            "{what}: {} parses with {e1} errors after, {e0} before",
                            rel.display()
                        ));
                        keep(dir, &what, rel, before)?;
                    }
                }
            }
            after.push(now);
        }
        let o = ripple.run(&work, &["apply", "--quiet", "--changes", "../changes.yaml", "."], LIMIT)?;
        tally.saw(&format!("{what}: second apply"), &o);
        for ((rel, before), first) in files.iter().zip(&after) {
            if std::fs::read(work.join(rel))? != *first {
                tally.unstable.push(format!("{what}: {} changed again by a second apply", rel.display()));
                keep(dir, &what, rel, before)?;
            }
        }
    }
    Ok(format!(
        "{} mutants of {} fixtures: {patches} patches checked by git, {rewritten} files rewritten",
        sizes.mutants.div_ceil(batch) * batch,
        seeds.len()
    ))
}

/// Runs each file of a failing batch alone, to name the ones that panic or hang.
fn single_out(ripple: &Ripple, dir: &Path, files: &[(PathBuf, Vec<u8>)], tally: &mut Tally) -> Result<()> {
    for (rel, bytes) in files {
        let work = dir.join("single");
        let _ = std::fs::remove_dir_all(&work);
        write(&work, &rel.to_string_lossy(), bytes)?;
        let o = ripple.run(&work, &["plan", "--changes", "../changes.yaml", "."], LIMIT)?;
        if o.panicked() || o.timed_out {
            keep(dir, "failing", rel, bytes)?;
            tally.saw(&format!("mutant {}", rel.display()), &o);
        }
    }
    Ok(())
}

/// Keeps an input that went wrong under target/faults, to reproduce it.
fn keep(_dir: &Path, what: &str, rel: &Path, bytes: &[u8]) -> Result<()> {
    let out = crate::workspace_root().join("target/faults").join(what.replace(' ', "-"));
    std::fs::create_dir_all(&out)?;
    std::fs::write(out.join(rel.file_name().expect("a file")), bytes)?;
    Ok(())
}

/// Files whose names or bytes git treats specially, under a relative and an absolute PATH:
/// the patch passes `git apply --check`, applies, and leaves nothing to plan.
pub fn patch_round_trips(
    ripple: &Ripple,
    dir: &Path,
    _: &Sizes,
    _: &mut Rng,
    tally: &mut Tally,
) -> Result<String> {
    let plain = "select user_name from users;\n";
    let mut files: Vec<(Vec<u8>, Vec<u8>)> = vec![
        (b"bom.sql".to_vec(), format!("\u{feff}{plain}").into_bytes()),
        (b"cr.sql".to_vec(), b"select user_name\rfrom users;\nselect 1;\r\n".to_vec()),
        (b"crlf.sql".to_vec(), b"select user_name\r\nfrom users;\r\n".to_vec()),
        (b"no-eol.sql".to_vec(), b"select user_name from users;".to_vec()),
        (b"tab\tname.sql".to_vec(), plain.into()),
        (b"new\nline.sql".to_vec(), plain.into()),
        (b"back\\slash.sql".to_vec(), plain.into()),
        (b"quote\"d.sql".to_vec(), plain.into()),
        (b"space d.sql".to_vec(), plain.into()),
        (b"\xc3\xa9t\xc3\xa9.sql".to_vec(), plain.into()),
        (b"sub dir/x.py".to_vec(), b"cursor.execute(\"select user_name from users\")\n".to_vec()),
    ];
    if cfg!(unix) {
        files.push((b"caf\xe9.sql".to_vec(), plain.into()));
    }
    std::fs::write(dir.join("changes.yaml"), CHANGES)?;
    let mut checked = 0;
    for absolute in [false, true] {
        let work = dir.join("work");
        let _ = std::fs::remove_dir_all(&work);
        for (name, bytes) in &files {
            let path = work.join("t").join(os_path(name));
            std::fs::create_dir_all(path.parent().expect("under t"))?;
            std::fs::write(&path, bytes)?;
        }
        let tree = if absolute { work.join("t").display().to_string() } else { "t".into() };
        let what =
            format!("odd names under {}", if absolute { "an absolute PATH" } else { "a relative PATH" });
        let args = ["plan", "--format", "patch", "--changes", "../changes.yaml", &tree];
        let o = ripple.run(&work, &args, LIMIT)?;
        tally.saw(&what, &o);
        let headers = String::from_utf8_lossy(&o.stdout).matches("diff --git ").count();
        if headers != files.len() {
            tally
                .rejected_patches
                .push(format!("{what}: {headers} files in the patch, {} expected", files.len()));
        }
        checked += headers;
        if let Some(why) = git_apply_check(&work, &o.stdout)? {
            tally.rejected_patches.push(format!("{what}: {why}"));
            continue;
        }
        let applied =
            Command::new("git").args(["apply", "-"]).current_dir(&work).stdin(Stdio::piped()).spawn();
        let mut applied = applied.context("run git apply")?;
        applied.stdin.take().expect("piped").write_all(&o.stdout)?;
        applied.wait()?;
        let again = ripple.run(&work, &args, LIMIT)?;
        if !again.stdout.is_empty() {
            tally.rejected_patches.push(format!("{what}: the applied patch leaves edits to plan"));
        }
    }
    Ok(format!("{} odd files under two PATHs: {checked} file patches checked by git", files.len()))
}

#[cfg(unix)]
fn os_path(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn os_path(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}
