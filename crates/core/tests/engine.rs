//! The engine's guarantees, checked with small rules written for the test: the prefilter
//! spares files that do not mention a changed name, conflicts and broken rewrites are
//! reported instead of applied, and apply is atomic, lossless and idempotent.

use ripple_core::discover::SourcePath;
use ripple_core::engine::FileResult;
use ripple_core::{
    apply_plan, plan, Catalog, CatalogEntry, CatalogSite, CatalogSource, Change, ChangeExpander, ChangeSet,
    Confidence, Dialect, Expansion, Ident, Lang, MemoryFiles, NoProgress, Plan, Progress, Request, Rule,
    RuleContext, RuleOutput, RuleSet, Severity, SourceFile, SourceText, TableName,
};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Renames every word-bounded mention of a renamed column (a deliberately naive rule).
struct WordRename {
    id: &'static str,
    runs: AtomicUsize,
}

impl Rule for WordRename {
    fn id(&self) -> &str {
        self.id
    }
    fn language(&self) -> Lang {
        Lang::Sql
    }
    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        self.runs.fetch_add(1, Ordering::SeqCst);
        for (i, change) in ctx.changes.iter() {
            if let Change::RenameColumn { from, to, .. } = change {
                for m in ctx.names.mentions(file.text) {
                    if from.matches(&file.text[m.start..m.end], false) {
                        out.edit((m.start, m.end), to.value.clone(), self.id, i, Confidence::Certain);
                    }
                }
            }
        }
    }
}

/// Replaces every mention with fixed text, to provoke conflicts and broken rewrites.
struct Vandal {
    id: &'static str,
    text: &'static str,
}

impl Rule for Vandal {
    fn id(&self) -> &str {
        self.id
    }
    fn language(&self) -> Lang {
        Lang::Sql
    }
    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        for m in ctx.names.mentions(file.text) {
            out.edit((m.start, m.end), self.text, self.id, 0, Confidence::Certain);
        }
    }
}

fn rename_changes() -> ChangeSet {
    ChangeSet::new(vec![Change::RenameColumn {
        table: TableName::parse("users"),
        from: Ident::new("user_name"),
        to: Ident::new("username"),
    }])
}

fn run(rules: &RuleSet, root: &Path) -> Plan {
    let request = Request::new(rename_changes(), vec![root.to_path_buf()]);
    plan(rules, &request, &NoProgress).expect("plan")
}

fn word_rename() -> (Arc<WordRename>, RuleSet) {
    let rule = Arc::new(WordRename { id: "test/word-rename", runs: AtomicUsize::new(0) });
    let mut rules = RuleSet::new();
    rules.add(rule.clone());
    (rule, rules)
}

#[test]
fn prefilter_never_parses_files_without_a_changed_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.sql"), "select user_name from users;\n").unwrap();
    std::fs::write(dir.path().join("b.sql"), "select id from orders;\n").unwrap();
    std::fs::write(dir.path().join("c.sql"), "select user_names from t; -- v_users\n").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "user_name everywhere\n").unwrap();
    let (rule, rules) = word_rename();
    let plan = run(&rules, dir.path());
    assert_eq!(plan.summary.files_scanned, 3, "only files of a known language are scanned");
    assert_eq!(plan.summary.files_parsed, 1);
    assert_eq!(rule.runs.load(Ordering::SeqCst), 1, "rules run on parsed files only");
    assert_eq!(plan.summary.files_changed, 1);
    assert_eq!(plan.summary.edits, 1);
}

#[test]
fn gitignored_and_git_files_are_not_scanned() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::create_dir_all(dir.path().join("build")).unwrap();
    std::fs::write(dir.path().join(".gitignore"), "build/\n").unwrap();
    std::fs::write(dir.path().join(".git/x.sql"), "select user_name from users;\n").unwrap();
    std::fs::write(dir.path().join("build/y.sql"), "select user_name from users;\n").unwrap();
    std::fs::write(dir.path().join("z.sql"), "select user_name from users;\n").unwrap();
    let (_, rules) = word_rename();
    let plan = run(&rules, dir.path());
    assert_eq!(plan.summary.files_scanned, 1);
    assert_eq!(plan.files.len(), 1);
    assert!(plan.files[0].path.ends_with("z.sql"));
}

#[test]
fn overlapping_edits_of_two_rules_are_a_conflict_finding() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.sql"), "select user_name from users;\n").unwrap();
    let mut rules = RuleSet::new();
    rules.add(Arc::new(Vandal { id: "test/one", text: "x" }));
    rules.add(Arc::new(Vandal { id: "test/two", text: "y" }));
    let plan = run(&rules, dir.path());
    assert!(plan.files.is_empty(), "no side of a conflict is applied");
    let conflicts: Vec<_> = plan.findings.iter().filter(|f| f.rule == "core/edit-conflict").collect();
    assert_eq!(conflicts.len(), 2, "one per contested span: `user_name` and `users`");
    assert_eq!((conflicts[0].line, conflicts[0].column), (1, 8));
    assert_eq!(conflicts[0].severity, Severity::Review);
}

#[test]
fn an_edit_that_breaks_the_syntax_is_withdrawn() {
    let dir = tempfile::tempdir().unwrap();
    let original = "select user_name from users;\n";
    std::fs::write(dir.path().join("a.sql"), original).unwrap();
    let mut rules = RuleSet::new();
    rules.add(Arc::new(Vandal { id: "test/vandal", text: "from (" }));
    let plan = run(&rules, dir.path());
    assert!(plan.files.is_empty());
    let withdrawn: Vec<_> = plan.findings.iter().filter(|f| f.rule == "core/invalid-rewrite").collect();
    assert_eq!(withdrawn.len(), 2, "every edit of the file is withdrawn and reported");
    assert!(withdrawn[0].message.contains("test/vandal"), "{}", withdrawn[0].message);
    assert_eq!(apply_plan(&plan).written.len(), 0);
    assert_eq!(std::fs::read_to_string(dir.path().join("a.sql")).unwrap(), original);
}

#[cfg(unix)]
#[test]
fn apply_keeps_crlf_bom_and_permissions_and_twice_equals_once() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.sql");
    let original = b"\xEF\xBB\xBF-- report\r\nselect user_name\r\nfrom users;\r\n";
    std::fs::write(&path, original).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let (_, rules) = word_rename();

    let first = run(&rules, dir.path());
    assert_eq!(first.files.len(), 1);
    let edit = &first.files[0].edits[0];
    assert_eq!((edit.start, edit.end, edit.line, edit.column), (21, 30, 2, 8), "offsets count the BOM");
    let report = apply_plan(&first);
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let once = std::fs::read(&path).unwrap();
    assert_eq!(once, b"\xEF\xBB\xBF-- report\r\nselect username\r\nfrom users;\r\n");
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);

    let second = run(&rules, dir.path());
    assert!(second.files.is_empty(), "a second run has nothing left to do");
    apply_plan(&second);
    assert_eq!(std::fs::read(&path).unwrap(), once);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind: {leftovers:?}");
}

#[test]
fn apply_leaves_a_file_that_changed_since_it_was_planned() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sql");
    std::fs::write(&path, "select user_name from users;\n").unwrap();
    let (_, rules) = word_rename();
    let plan = run(&rules, dir.path());
    std::fs::write(&path, "select user_name, id from users;\n").unwrap();
    let report = apply_plan(&plan);
    assert!(report.written.is_empty());
    assert_eq!(report.failed.len(), 1);
    assert!(report.failed[0].message.contains("changed on disk"), "{}", report.failed[0]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "select user_name, id from users;\n");
}

#[cfg(unix)]
#[test]
fn bad_files_become_findings_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("binary.sql"), b"user_name\0\x01\x02").unwrap();
    std::fs::write(root.join("latin1.sql"), b"-- caf\xe9\nselect user_name from users;\n").unwrap();
    std::os::unix::fs::symlink(root.join("missing.sql"), root.join("dangling.sql")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", root.join("outside.sql")).unwrap();
    let (rule, rules) = word_rename();
    let plan = run(&rules, root);
    assert_eq!(rule.runs.load(Ordering::SeqCst), 0);
    assert!(plan.files.is_empty());
    let mut seen: Vec<String> = plan
        .findings
        .iter()
        .map(|f| format!("{}:{} {}", f.path.file_name().unwrap().to_string_lossy(), f.line, f.message))
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        vec![
            "binary.sql:0 not scanned: binary content that mentions a changed name",
            "dangling.sql:0 not scanned: is a symbolic link; ripple never follows links",
            "latin1.sql:1 not scanned: invalid UTF-8 at byte 6, and the file mentions a changed name",
            "outside.sql:0 not scanned: is a symbolic link; ripple never follows links",
        ]
    );
    assert_eq!(plan.summary.files_skipped, 4);
}

#[test]
fn a_missing_root_is_an_input_error() {
    let (_, rules) = word_rename();
    let request = Request::new(rename_changes(), vec!["/definitely/not/here".into()]);
    let err = plan(&rules, &request, &NoProgress).expect_err("an error");
    assert!(err.to_string().starts_with("/definitely/not/here: cannot read path"), "{err}");
}

/// Indexes a table definition in every file that says `create table`, and records the text
/// the engine hands back when the table is read.
struct TextCatalog {
    read: std::sync::Mutex<Vec<String>>,
}

impl CatalogSource for TextCatalog {
    fn language(&self) -> Lang {
        Lang::Sql
    }
    fn index(&self, _file: &SourcePath, bytes: &[u8]) -> Vec<CatalogSite> {
        let text = String::from_utf8_lossy(bytes);
        text.find("create table")
            .map(|at| CatalogSite { table: "orders".into(), offset: at })
            .into_iter()
            .collect()
    }
    fn read(&self, source: &SourceText, offset: usize, _: Dialect) -> Option<CatalogEntry> {
        self.read.lock().unwrap().push(source.file_text()[offset..].to_string());
        None
    }
}

/// Records the files it is given.
struct Recorder {
    seen: std::sync::Mutex<Vec<String>>,
}

impl ChangeExpander for Recorder {
    fn language(&self, _: &Request) -> Option<Lang> {
        Some(Lang::Sql)
    }
    fn expand(&self, files: &[&SourceText], _: &Request, catalog: &Catalog) -> Expansion {
        let mut seen = self.seen.lock().unwrap();
        seen.extend(files.iter().map(|f| format!("{}: {}", f.file.relative.display(), f.text().trim())));
        catalog.columns_of(&[("orders", false)]);
        Expansion::default()
    }
}

#[test]
fn stages_after_the_read_get_the_text_not_the_path() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.sql"), "select user_name from users;\n").unwrap();
    std::fs::write(dir.path().join("ddl.sql"), "\u{FEFF}create table orders (id int);\n").unwrap();
    std::fs::write(dir.path().join("z.sql"), "select 1;\n").unwrap();
    let (_, mut rules) = word_rename();
    let catalog = Arc::new(TextCatalog { read: Default::default() });
    let recorder = Arc::new(Recorder { seen: Default::default() });
    rules.add_catalog_source(catalog.clone());
    rules.add_expander(recorder.clone());
    let plan = run(&rules, dir.path());
    // Every SQL file reaches the expander, the prefilter's rejects too; the BOM is not text.
    assert_eq!(
        *recorder.seen.lock().unwrap(),
        vec![
            "a.sql: select user_name from users;",
            "ddl.sql: create table orders (id int);",
            "z.sql: select 1;"
        ]
    );
    // The catalog reads the indexed statement from the file as on disk.
    assert_eq!(*catalog.read.lock().unwrap(), vec!["create table orders (id int);\n"]);
    assert_eq!(plan.summary.files_parsed, 1);
    assert_eq!(plan.summary.bytes_scanned, 29 + 33 + 10);
    assert_eq!(plan.files[0].stat.len, 29);
}

/// Records what the engine tells a `Progress`, in order.
#[derive(Default)]
struct Events(std::sync::Mutex<Vec<String>>);

impl Events {
    fn push(&self, event: String) {
        self.0.lock().unwrap().push(event);
    }
}

impl Progress for Events {
    fn stage(&self, name: &'static str) {
        self.push(format!("stage {name}"));
    }
    fn finish(&self) {
        self.push("finish".into());
    }
    fn file_done(&self, result: &FileResult) {
        let path = result
            .plan
            .as_ref()
            .map(|p| p.path.clone())
            .or_else(|| result.findings.first().map(|f| f.path.clone()));
        let edits = result.plan.as_ref().map_or(0, |p| p.edits.len());
        self.push(format!(
            "file {} {edits}",
            path.unwrap_or_default().file_name().unwrap().to_string_lossy()
        ));
    }
}

#[test]
fn each_file_is_handed_over_as_it_finishes_before_the_run_ends() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.sql"), "select user_name from users;\n").unwrap();
    std::fs::write(dir.path().join("b.sql"), "select user_name, user_name from users;\n").unwrap();
    std::fs::write(dir.path().join("c.sql"), "select id from orders;\n").unwrap();
    std::fs::write(dir.path().join("d.sql"), b"user_name \xFF\n").unwrap();
    let (_, rules) = word_rename();
    let request = Request::new(rename_changes(), vec![dir.path().to_path_buf()]);
    let events_seen = Events::default();
    let plan = plan(&rules, &request, &events_seen).expect("plan");
    let events = events_seen.0.into_inner().unwrap();
    let scanning = events.iter().position(|e| e == "stage scanning").expect("a scanning stage");
    let mut files: Vec<&str> = events[scanning + 1..events.len() - 1].iter().map(String::as_str).collect();
    files.sort();
    // The file that is not UTF-8 is done at its read, the others as they are scanned: all
    // before the scanning stage ends; the file without a changed name is never handed over.
    assert_eq!(files, ["file a.sql 1", "file b.sql 2"], "{events:?}");
    assert_eq!(
        events[..scanning].iter().filter(|e| e.starts_with("file")).collect::<Vec<_>>(),
        ["file d.sql 0"]
    );
    assert_eq!(events.last().map(String::as_str), Some("finish"));
    assert_eq!(plan.summary.edits, 3);
}

#[test]
fn a_plan_over_files_in_memory_reads_and_writes_no_disk() {
    // The root does not exist on disk: every byte comes from the set.
    let mut files: MemoryFiles = [
        ("/definitely/not/here/a.sql", "select user_name from users;\n"),
        ("/definitely/not/here/sub/b.sql", "\u{FEFF}select user_name\r\nfrom users;\r\n"),
        ("/definitely/not/here/c.sql", "select id from orders;\n"),
        ("/elsewhere/d.sql", "select user_name from users;\n"),
    ]
    .into_iter()
    .collect();
    let (_, rules) = word_rename();
    let request =
        Request::new(rename_changes(), vec!["/definitely/not/here".into()]).with_files(files.clone());
    let first = plan(&rules, &request, &NoProgress).expect("plan");
    assert_eq!(first.summary.files_scanned, 3, "only the files under the root");
    let planned: Vec<_> =
        first.files.iter().map(|f| (f.path.to_string_lossy().into_owned(), f.relative.clone())).collect();
    assert_eq!(
        planned,
        [
            ("/definitely/not/here/a.sql".into(), "a.sql".into()),
            ("/definitely/not/here/sub/b.sql".into(), "sub/b.sql".into())
        ]
    );
    assert!(first.files[1].diff.starts_with("--- a/sub/b.sql\n"), "{}", first.files[1].diff);

    // A file edited in the set since the plan is refused; the others are written.
    let mut edited = files.clone();
    edited.insert("/definitely/not/here/a.sql", "select user_name from users; -- edited\n");
    let report = edited.apply(&first);
    assert_eq!(report.written, ["/definitely/not/here/sub/b.sql"].map(std::path::PathBuf::from));
    assert_eq!(report.failed.len(), 1);
    assert!(
        report.failed[0].refused && report.failed[0].message.starts_with("changed since it was planned"),
        "{}",
        report.failed[0]
    );

    let report = files.apply(&first);
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(
        files.get("/definitely/not/here/sub/b.sql"),
        Some("\u{FEFF}select username\r\nfrom users;\r\n")
    );
    assert_eq!(files.get("/elsewhere/d.sql"), Some("select user_name from users;\n"), "not under the root");
    let again = plan(&rules, &request.with_files(files), &NoProgress).expect("plan");
    assert!(again.files.is_empty(), "twice changes nothing the second time");

    let missing = Request::new(rename_changes(), vec!["/nowhere".into()]).with_files(MemoryFiles::new());
    let err = plan(&rules, &missing, &NoProgress).expect_err("a root the set does not hold");
    assert_eq!(err.to_string(), "/nowhere: no such file or folder in the file set");
}
