//! apply under faults: a change made while a file is replaced is never lost, owner, group and
//! extended attributes are kept, temporary files of a killed run are removed (and nothing
//! else is), a stop request is honoured between files, and a root given twice is one root.

use ripple_core::discover::discover;
use ripple_core::{apply_plan, apply_plan_with, ApplyOptions, FilePlan, FileStat, Lang, Plan, Summary};
use std::cell::Cell;
use std::path::{Path, PathBuf};

const OLD: &[u8] = b"select user_name from users;\n";
const NEW: &[u8] = b"select username from users;\n";

/// A plan rewriting each of `paths` (all holding OLD) to NEW.
fn plan_of(paths: &[PathBuf]) -> Plan {
    let files = paths
        .iter()
        .map(|path| FilePlan {
            path: path.clone(),
            relative: PathBuf::from(path.file_name().unwrap()),
            language: Lang::Sql,
            edits: Vec::new(),
            diff: String::new(),
            sha256: ripple_core::plan::content_hash(OLD),
            original: OLD.to_vec(),
            rewritten: NEW.to_vec(),
            stat: FileStat { len: OLD.len() as u64 },
        })
        .collect();
    Plan {
        version: 1,
        changes: Vec::new(),
        files,
        moves: Vec::new(),
        findings: Vec::new(),
        warnings: Vec::new(),
        suggested_migration: Vec::new(),
        summary: Summary::default(),
    }
}

fn one_file(dir: &Path) -> (PathBuf, Plan) {
    let path = dir.join("a.sql");
    std::fs::write(&path, OLD).unwrap();
    (path.clone(), plan_of(&[path]))
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Applies with `meddle` run on the file just before it is replaced, and expects the file
/// refused and nothing but the user's version left.
fn assert_meddling_is_kept(meddle: impl Fn(&Path), check: impl Fn(&Path)) {
    let dir = tempfile::tempdir().unwrap();
    let (path, plan) = one_file(dir.path());
    let hook = |p: &Path| meddle(p);
    let report = apply_plan_with(&plan, &ApplyOptions { before_replace: Some(&hook), ..Default::default() });
    assert!(report.written.is_empty(), "{report:?}");
    assert_eq!(report.failed.len(), 1);
    assert!(report.failed[0].refused);
    assert!(report.failed[0].message.contains("changed on disk"), "{}", report.failed[0]);
    check(&path);
    assert!(!names_in(dir.path()).iter().any(|n| n.contains(".ripple-")), "{:?}", names_in(dir.path()));
}

#[test]
fn an_append_made_while_the_file_is_replaced_is_kept() {
    use std::io::Write;
    assert_meddling_is_kept(
        |p| std::fs::OpenOptions::new().append(true).open(p).unwrap().write_all(b"-- mine\n").unwrap(),
        |p| assert_eq!(std::fs::read(p).unwrap(), [OLD, b"-- mine\n"].concat()),
    );
}

#[test]
fn an_editor_save_made_while_the_file_is_replaced_is_kept() {
    assert_meddling_is_kept(
        |p| {
            let saved = p.with_file_name("a.sql~");
            std::fs::write(&saved, b"select id from users;\n").unwrap();
            std::fs::rename(&saved, p).unwrap();
        },
        |p| assert_eq!(std::fs::read(p).unwrap(), b"select id from users;\n"),
    );
}

#[test]
fn a_same_size_rewrite_made_while_the_file_is_replaced_is_kept() {
    assert_meddling_is_kept(
        |p| std::fs::write(p, b"select USER_NAME from users;\n").unwrap(),
        |p| assert_eq!(std::fs::read(p).unwrap(), b"select USER_NAME from users;\n"),
    );
}

#[test]
fn a_deletion_made_while_the_file_is_replaced_is_kept() {
    assert_meddling_is_kept(|p| std::fs::remove_file(p).unwrap(), |p| assert!(!p.exists()));
}

#[cfg(unix)]
#[test]
fn a_symlink_put_in_place_while_the_file_is_replaced_is_kept() {
    assert_meddling_is_kept(
        |p| {
            std::fs::remove_file(p).unwrap();
            std::os::unix::fs::symlink("/etc/hostname", p).unwrap();
        },
        |p| assert_eq!(std::fs::read_link(p).unwrap(), Path::new("/etc/hostname")),
    );
}

#[test]
fn an_untouched_file_is_replaced_and_no_temporary_file_remains() {
    let dir = tempfile::tempdir().unwrap();
    let (path, plan) = one_file(dir.path());
    let report = apply_plan(&plan);
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(std::fs::read(&path).unwrap(), NEW);
    assert_eq!(names_in(dir.path()), ["a.sql"]);
}

#[cfg(target_os = "linux")]
#[test]
fn owner_group_and_extended_attributes_are_kept() {
    use std::os::unix::fs::MetadataExt;
    if !rustix::process::geteuid().is_root() {
        eprintln!("skipped: changing a file's owner needs root");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (path, plan) = one_file(dir.path());
    std::os::unix::fs::chown(&path, Some(1234), Some(5678)).unwrap();
    let xattrs = match rustix::fs::setxattr(&path, "user.x", b"kept", rustix::fs::XattrFlags::empty()) {
        Ok(()) => true,
        Err(e) => {
            eprintln!("extended attributes not checked: {e}");
            false
        }
    };
    let report = apply_plan(&plan);
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(std::fs::read(&path).unwrap(), NEW);
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (1234, 5678));
    if xattrs {
        let mut value = [0u8; 16];
        let n = rustix::fs::getxattr(&path, "user.x", &mut value[..]).unwrap();
        assert_eq!(&value[..n], b"kept");
    }
}

#[cfg(unix)]
#[test]
fn stale_temporary_files_are_removed_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let (path, plan) = one_file(dir.path());
    // A pid that is gone: a child that has been waited for.
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let stale = format!(".a.sql.ripple-{dead}-aB3dE6gH.tmp");
    let kept = [
        format!(".a.sql.ripple-{dead}-aB3dE6g.tmp"),
        format!(".a.sql.ripple-{dead}-aB3dE6gH.tmp.orig"),
        format!("a.sql.ripple-{dead}-aB3dE6gH.tmp"),
        ".a.sql.ripple-notes.tmp".to_string(),
        // A live process: this one's parent, say.
        format!(".a.sql.ripple-{}-aB3dE6gH.tmp", std::os::unix::process::parent_id()),
    ];
    for name in std::iter::once(&stale).chain(&kept) {
        std::fs::write(dir.path().join(name), b"user's\n").unwrap();
    }
    let report = apply_plan(&plan);
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.stale_removed, [dir.path().join(&stale)]);
    assert_eq!(std::fs::read(&path).unwrap(), NEW);
    let mut expected: Vec<String> = kept.to_vec();
    expected.push("a.sql".into());
    expected.sort();
    assert_eq!(names_in(dir.path()), expected);
}

#[test]
fn a_stop_request_finishes_the_file_in_flight_and_attempts_no_other() {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = (0..3).map(|i| dir.path().join(format!("{i}.sql"))).collect();
    for p in &paths {
        std::fs::write(p, OLD).unwrap();
    }
    let plan = plan_of(&paths);
    let asked = Cell::new(0);
    let stop = || {
        asked.set(asked.get() + 1);
        asked.get() > 1
    };
    let report = apply_plan_with(&plan, &ApplyOptions { stop: Some(&stop), ..Default::default() });
    assert_eq!(report.written, paths[..1]);
    assert_eq!(report.not_attempted, paths[1..]);
    assert_eq!(std::fs::read(&paths[1]).unwrap(), OLD);
    assert_eq!(names_in(dir.path()), ["0.sql", "1.sql", "2.sql"]);
}

#[test]
fn a_root_given_twice_under_two_spellings_is_discovered_once() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t");
    std::fs::create_dir_all(t.join("sub")).unwrap();
    std::fs::write(t.join("a.sql"), OLD).unwrap();
    std::fs::write(t.join("sub/b.sql"), OLD).unwrap();
    let other = dir.path().join("t/sub/../../t/.");
    let found = discover(&[t.clone(), other]).unwrap();
    let paths: Vec<_> = found.files.iter().map(|f| f.path.clone()).collect();
    assert_eq!(paths, [t.join("a.sql"), t.join("sub/b.sql")], "the first spelling is kept");
}
