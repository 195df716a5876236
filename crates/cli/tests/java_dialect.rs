//! JDBC tracing reads the SQL of a Java string in the same effective dialect as the SQL
//! rules that rewrite it (fixtures/java/dialect: MySQL syntax, no `--dialect`).

use ripple::core::changefile::load_change_file;
use ripple::core::engine::{plan, NoProgress, Request};
use std::path::Path;

#[test]
fn jdbc_sql_is_traced_in_its_effective_dialect() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/java");
    let dir = fixtures.join("dialect");
    let rules = ripple::default_rules();
    let changes = load_change_file(&fixtures.join("changes.yaml")).expect("the change file loads");
    let request = Request::new(changes, vec![dir.clone()]);
    let plan = plan(&rules, &request, &NoProgress).expect("the fixture plans");
    let mut out: String = plan.files.iter().map(|f| f.diff.as_str()).collect();
    out.push_str("findings:\n");
    for f in &plan.findings {
        let path = f.path.strip_prefix(&dir).unwrap_or(&f.path).to_string_lossy().replace('\\', "/");
        out.push_str(&format!("  {path}:{}:{} {} {}\n", f.line, f.column, f.rule, f.message));
    }
    insta::assert_snapshot!("jdbc_effective_dialect", out);
}
