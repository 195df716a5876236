//! Faults of `ripple apply` on disk: killed at random moments, read-only and immutable files
//! and folders, a full disk, and writers saving files while it runs. After each, every file
//! is its original or its full rewrite, a user's save is never undone, and a re-run leaves no
//! temporary file and completes the plan.

use super::run::{self, copy_tree, files_under, temp_files, write, Ripple, CHANGES};
use super::{Sizes, Tally};
use crate::corpus::Rng;
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Time any one run of apply may take before it counts as a hang.
const LIMIT: Duration = Duration::from_secs(300);

/// File contents by path relative to the tree.
type Contents = BTreeMap<PathBuf, Vec<u8>>;

/// `n` files that mention `users.user_name` (SQL, Python and Java) and some that do not.
fn tree(root: &Path, n: usize, pad: usize) -> Result<()> {
    let filler = "-- padding\n".repeat(pad);
    for i in 0..n {
        let dir = format!("d{:02}", i / 100);
        let (rel, text) = match i % 4 {
            0 => (format!("{dir}/r{i}.sql"), format!("{filler}select user_name, id from users where id = {i};\n")),
            1 => (
                format!("{dir}/q{i}.py"),
                format!("def f{i}(cursor):\n    cursor.execute(\"select user_name from users where id = %s\", ({i},))\n"),
            ),
            2 => (
                format!("{dir}/C{i}.java"),
                format!("class C{i} {{\n  void f(java.sql.Statement s) throws Exception {{\n    s.executeQuery(\"select user_name from users where id = {i}\");\n  }}\n}}\n"),
            ),
            _ => (format!("{dir}/n{i}.sql"), format!("select id from orders where id = {i};\n")),
        };
        write(root, &rel, text)?;
    }
    Ok(())
}

fn contents(root: &Path) -> Result<Contents> {
    let mut out = Contents::new();
    for f in files_under(root) {
        out.insert(f.strip_prefix(root)?.to_path_buf(), std::fs::read(&f)?);
    }
    Ok(out)
}

/// The original tree under `dir/base` and the tree apply makes of it, with the time it took.
fn base_and_expected(
    ripple: &Ripple,
    dir: &Path,
    n: usize,
    pad: usize,
    tally: &mut Tally,
) -> Result<(Contents, Contents, Duration)> {
    std::fs::write(dir.join("changes.yaml"), CHANGES)?;
    let base = dir.join("base");
    tree(&base, n, pad)?;
    let full = dir.join("full");
    copy_tree(&base, &full)?;
    let o = ripple.run(&full, &["apply", "--quiet", "--changes", "../changes.yaml", "."], LIMIT)?;
    tally.saw("apply of the whole tree", &o);
    anyhow::ensure!(o.code == Some(0), "apply of the generated tree failed: {}", o.stderr);
    let expected = contents(&full)?;
    std::fs::remove_dir_all(&full)?;
    Ok((contents(&base)?, expected, o.took))
}

/// Each file of `root` is its original or its rewrite: the others are corrupted.
fn check_whole(
    root: &Path,
    original: &Contents,
    expected: &Contents,
    what: &str,
    tally: &mut Tally,
) -> Result<()> {
    for (rel, old) in original {
        let now = std::fs::read(root.join(rel)).ok();
        if now.as_ref() != Some(old) && now.as_ref() != expected.get(rel) {
            tally.corrupted.push(format!("{what}: {} is neither original nor rewritten", rel.display()));
        }
    }
    Ok(())
}

/// After a fault, a plain re-run exits 0, rewrites every file and leaves no temporary file.
fn rerun_completes(
    ripple: &Ripple,
    work: &Path,
    expected: &Contents,
    what: &str,
    tally: &mut Tally,
) -> Result<()> {
    let o = ripple.run(work, &["apply", "--quiet", "--changes", "../changes.yaml", "."], LIMIT)?;
    tally.saw(&format!("{what}, re-run"), &o);
    if o.code != Some(0) {
        tally.incomplete.push(format!("{what}: the re-run exited {:?}: {}", o.code, o.stderr.trim()));
    }
    for (rel, new) in expected {
        if std::fs::read(work.join(rel)).ok().as_ref() != Some(new) {
            tally.incomplete.push(format!("{what}: {} not rewritten by the re-run", rel.display()));
        }
    }
    tally.leftovers.extend(temp_files(work).into_iter().map(|t| format!("{what}: {t}")));
    Ok(())
}

fn signal(pid: u32, name: &str) -> Result<()> {
    Command::new("kill").args([&format!("-{name}"), &pid.to_string()]).status().context("run kill")?;
    Ok(())
}

/// SIGKILL, SIGTERM and SIGINT at random moments of an apply over `sizes.files` files.
pub fn kills(ripple: &Ripple, dir: &Path, sizes: &Sizes, rng: &mut Rng, tally: &mut Tally) -> Result<String> {
    let (original, expected, took) = base_and_expected(ripple, dir, sizes.files, 0, tally)?;
    let work = dir.join("work");
    let mut rewritten_at_kill = 0;
    for k in 0..sizes.kills {
        let _ = std::fs::remove_dir_all(&work);
        copy_tree(&dir.join("base"), &work)?;
        let sig = ["KILL", "TERM", "INT"][k % 3];
        let mut child = ripple.spawn(&work, &["apply", "--quiet", "--changes", "../changes.yaml", "."])?;
        // Anywhere from start-up to past the end of the writes.
        let delay = took.mul_f64(0.1 + 1.0 * rng.unit());
        std::thread::sleep(delay);
        signal(child.id(), sig)?;
        let (code, timed_out) = run::wait(&mut child, Duration::from_secs(60))?;
        let what = format!("SIG{sig} after {} ms", delay.as_millis());
        if timed_out {
            tally.hangs.push(format!("{what}: apply did not stop"));
        }
        let err = std::fs::read_to_string(dir.join("ripple.err")).unwrap_or_default();
        if err.contains("panicked at") || code == Some(101) {
            tally.panics.push(format!("{what}: {}", super::first_line(&err, "panicked")));
        }
        tally.runs += 1;
        check_whole(&work, &original, &expected, &what, tally)?;
        rewritten_at_kill += expected
            .iter()
            .filter(|(rel, new)| {
                original.get(*rel) != Some(new) && std::fs::read(work.join(rel)).ok().as_ref() == Some(new)
            })
            .count();
        rerun_completes(ripple, &work, &expected, &what, tally)?;
    }
    let changed = expected.iter().filter(|(rel, new)| original.get(*rel) != Some(new)).count();
    Ok(format!(
        "{} kills of apply over {} files ({changed} to rewrite, {:.1} s uninterrupted); {} files rewritten when killed, on average",
        sizes.kills,
        original.len(),
        took.as_secs_f64(),
        rewritten_at_kill / sizes.kills.max(1)
    ))
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .with_context(|| path.display().to_string())
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).map_or(0, |m| m.permissions().mode() & 0o7777)
}

fn chattr(flag: &str, path: &Path) -> bool {
    Command::new("chattr").arg(flag).arg(path).output().is_ok_and(|o| o.status.success())
}

/// Read-only files and folders keep their modes; immutable ones (which even root cannot
/// write) are refused with a message and left as they were, the rest still written.
#[cfg(unix)]
pub fn read_only(ripple: &Ripple, dir: &Path, _: &Sizes, _: &mut Rng, tally: &mut Tally) -> Result<String> {
    let (original, expected, _) = base_and_expected(ripple, dir, 200, 0, tally)?;
    let work = dir.join("work");
    copy_tree(&dir.join("base"), &work)?;
    let ro_file = work.join("d00/r0.sql");
    let ro_dir = work.join("d01");
    chmod(&ro_file, 0o444)?;
    chmod(&ro_dir, 0o555)?;
    let immutable = [work.join("d00/r4.sql")];
    let chattr_ok = immutable.iter().all(|p| chattr("+i", p));
    let o = ripple.run(&work, &["apply", "--changes", "../changes.yaml", "."], LIMIT)?;
    for p in &immutable {
        chattr("-i", p);
    }
    tally.saw_apply("apply over read-only files", &o);
    check_whole(&work, &original, &expected, "read-only", tally)?;
    if mode(&ro_file) != 0o444 || mode(&ro_dir) != 0o555 {
        tally.corrupted.push(format!(
            "read-only: modes changed to {:o} and {:o}",
            mode(&ro_file),
            mode(&ro_dir)
        ));
    }
    let mut refused = 0;
    if chattr_ok {
        let rel = Path::new("d00/r4.sql");
        if std::fs::read(work.join(rel))? != original[rel] {
            tally.corrupted.push(format!("immutable: {} was written", rel.display()));
        } else if o.stderr.contains(&rel.display().to_string()) {
            refused += 1;
        } else {
            tally.unclear.push(format!("immutable: {} not written and not named on stderr", rel.display()));
        }
        if o.code == Some(0) {
            tally.unclear.push("immutable: apply exited 0 with files it could not write".into());
        }
    } else {
        tally.skipped.push("immutable files: chattr +i is not allowed here".into());
    }
    tally.leftovers.extend(temp_files(&work));
    chmod(&ro_dir, 0o755)?;
    rerun_completes(ripple, &work, &expected, "read-only", tally)?;
    Ok(format!(
        "200 files, one read-only file and folder (kept {:o}, {:o}), {}",
        mode(&ro_file),
        mode(&ro_dir),
        if chattr_ok {
            format!("{refused} of 1 immutable file refused and named")
        } else {
            "no chattr".into()
        }
    ))
}

/// Apply on a 1 MB tmpfs that fills up: files stay whole, no temporary file is left, and
/// with space freed a re-run completes. Needs `mount` (root); skipped with a message else.
#[cfg(unix)]
pub fn disk_full(ripple: &Ripple, dir: &Path, _: &Sizes, _: &mut Rng, tally: &mut Tally) -> Result<String> {
    // 30 files of ~10 KB among 120: the tree takes about 700 KB of the 1 MB.
    let (original, expected, _) = base_and_expected(ripple, dir, 120, 900, tally)?;
    let mount = dir.join("mnt");
    std::fs::create_dir_all(&mount)?;
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(&mount)
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        tally.skipped.push("disk full: cannot mount a tmpfs here (needs root)".into());
        return Ok("skipped: no tmpfs".into());
    }
    let result = disk_full_on(ripple, &mount, &original, &expected, tally);
    let _ = Command::new("umount").arg(&mount).status();
    result
}

#[cfg(unix)]
fn disk_full_on(
    ripple: &Ripple,
    mount: &Path,
    original: &Contents,
    expected: &Contents,
    tally: &mut Tally,
) -> Result<String> {
    // The tree is the mount itself, so the change file and ripple's output logs (written
    // beside the tree) stay off the full disk.
    std::fs::write(mount.parent().unwrap_or(mount).join("changes.yaml"), CHANGES)?;
    let work = mount.to_path_buf();
    for (rel, text) in original {
        write(&work, &rel.to_string_lossy(), text)?;
    }
    // Fill the disk, then free two pages: small files still fit, the padded ones do not.
    let filler = mount.join("filler");
    {
        use std::io::Write as _;
        let mut f = std::fs::File::create(&filler)?;
        let page = [b'x'; 4096];
        while f.write_all(&page).and_then(|()| f.sync_data()).is_ok() {}
        let len = f.metadata()?.len();
        f.set_len(len.saturating_sub(2 * 4096))?;
    }
    let o = ripple.run(&work, &["apply", "--changes", "../changes.yaml", "."], LIMIT)?;
    tally.saw_apply("apply on a full disk", &o);
    check_whole(&work, original, expected, "disk full", tally)?;
    let written = expected
        .iter()
        .filter(|(rel, new)| std::fs::read(work.join(rel)).ok().as_ref() == Some(*new))
        .count();
    tally.leftovers.extend(temp_files(&work).into_iter().map(|t| format!("disk full: {t}")));
    let message = super::first_line(&o.stderr, "No space").to_string();
    if o.code == Some(0) && written < expected.len() {
        tally.unclear.push("disk full: apply exited 0 with files not written".into());
    }
    std::fs::remove_file(&filler)?;
    rerun_completes(ripple, &work, expected, "disk full", tally)?;
    Ok(format!(
        "exit {:?}, {written} of {} files written before the disk filled: {message}",
        o.code,
        expected.len()
    ))
}

#[cfg(not(unix))]
pub fn read_only(_: &Ripple, _: &Path, _: &Sizes, _: &mut Rng, tally: &mut Tally) -> Result<String> {
    tally.skipped.push("read-only: Unix only".into());
    Ok("skipped".into())
}

#[cfg(not(unix))]
pub fn disk_full(_: &Ripple, _: &Path, _: &Sizes, _: &mut Rng, tally: &mut Tally) -> Result<String> {
    tally.skipped.push("disk full: Unix only".into());
    Ok("skipped".into())
}

/// Writers save files (in place, by rename as editors do, or delete them) while apply runs:
/// every save survives as written.
pub fn concurrent_writers(
    ripple: &Ripple,
    dir: &Path,
    sizes: &Sizes,
    rng: &mut Rng,
    tally: &mut Tally,
) -> Result<String> {
    let (original, expected, _) = base_and_expected(ripple, dir, sizes.files, 0, tally)?;
    let paths: Vec<&PathBuf> = original.keys().collect();
    let work = dir.join("work");
    let (mut saves, mut refused_runs) = (0, 0);
    for round in 0..3 {
        let _ = std::fs::remove_dir_all(&work);
        copy_tree(&dir.join("base"), &work)?;
        let mut child = ripple.spawn(&work, &["apply", "--quiet", "--changes", "../changes.yaml", "."])?;
        // What each touched file must hold at the end: the writer's last save, or nothing.
        let mut last: BTreeMap<PathBuf, Option<Vec<u8>>> = BTreeMap::new();
        let deadline = Instant::now() + LIMIT;
        let mut k = 0;
        while child.try_wait()?.is_none() && Instant::now() < deadline {
            let rel = (*rng.pick(&paths)).clone();
            let path = work.join(&rel);
            let text = format!("select id, {k} from users; -- saved by its owner\n").into_bytes();
            match rng.below(10) {
                0 => {
                    let _ = std::fs::remove_file(&path);
                    last.insert(rel, None);
                }
                1..=4 => {
                    std::fs::write(&path, &text)?;
                    last.insert(rel, Some(text));
                }
                _ => {
                    let tmp =
                        path.with_file_name(format!("{}.save~", rel.file_name().unwrap().to_string_lossy()));
                    std::fs::write(&tmp, &text)?;
                    std::fs::rename(&tmp, &path)?;
                    last.insert(rel, Some(text));
                }
            }
            k += 1;
            std::thread::sleep(Duration::from_micros(300));
        }
        let (code, timed_out) = run::wait(&mut child, Duration::from_secs(5))?;
        tally.runs += 1;
        let what = format!("writers, round {round}");
        if timed_out {
            tally.hangs.push(format!("{what}: apply did not finish"));
        }
        let err = std::fs::read_to_string(dir.join("ripple.err")).unwrap_or_default();
        if err.contains("panicked at") || code == Some(101) {
            tally.panics.push(format!("{what}: {}", super::first_line(&err, "panicked")));
        }
        refused_runs += usize::from(code == Some(1));
        saves += last.len();
        for (rel, want) in &last {
            let now = std::fs::read(work.join(rel)).ok();
            if now != *want {
                tally.lost.push(format!("{what}: {} lost its owner's save", rel.display()));
            }
        }
        let untouched: Contents = original
            .iter()
            .filter(|(rel, _)| !last.contains_key(*rel))
            .map(|(r, t)| (r.clone(), t.clone()))
            .collect();
        check_whole(&work, &untouched, &expected, &what, tally)?;
        tally.leftovers.extend(temp_files(&work).into_iter().map(|t| format!("{what}: {t}")));
    }
    Ok(format!(
        "3 applies over {} files raced by {saves} saves; {refused_runs} exited 1 with refused files",
        original.len()
    ))
}
