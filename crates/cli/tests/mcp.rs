//! `ripple mcp` end to end, with the official Rust SDK's client speaking the protocol to the
//! binary over stdio: initialize, list the tools, call each, plan and apply by id, apply a
//! plan's JSON with a file changed since, and bad input as an MCP error with ripple's message.

mod common;

use common::{copy_tree, root};
use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::{RoleClient, RunningService};
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use rmcp::ServiceExt;
use serde_json::{json, Value};
use std::path::Path;

type Client = RunningService<RoleClient, ()>;

async fn connect(cwd: &Path) -> Client {
    let command = tokio::process::Command::new(env!("CARGO_BIN_EXE_ripple")).configure(|c| {
        c.arg("mcp").current_dir(cwd);
    });
    ().serve(TokioChildProcess::new(command).expect("spawn ripple mcp")).await.expect("initialize")
}

async fn call(
    client: &Client,
    tool: &'static str,
    arguments: Value,
) -> Result<CallToolResult, rmcp::ServiceError> {
    let Value::Object(arguments) = arguments else { panic!("arguments are an object") };
    client.call_tool(CallToolRequestParams::new(tool).with_arguments(arguments)).await
}

/// The tool's structured result.
async fn structured(client: &Client, tool: &'static str, arguments: Value) -> Value {
    let result = call(client, tool, arguments).await.unwrap_or_else(|e| panic!("{tool}: {e}"));
    assert_ne!(result.is_error, Some(true), "{tool}: {result:?}");
    result.structured_content.unwrap_or_else(|| panic!("{tool} returns structured content"))
}

/// The tool's text result.
async fn text(client: &Client, tool: &'static str, arguments: Value) -> String {
    let result = call(client, tool, arguments).await.unwrap_or_else(|e| panic!("{tool}: {e}"));
    result.content.iter().filter_map(|c| c.as_text().map(|t| t.text.clone())).collect()
}

fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("fixtures/demo"), &dir.path().join("demo"));
    dir
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn tools_are_listed_with_their_input_schemas() {
    let dir = demo();
    let client = connect(dir.path()).await;
    let info = client.peer_info().expect("the server introduced itself");
    assert_eq!(info.server_info.as_ref().map(|s| s.name.as_str()), Some("ripple"));
    let mut tools = client.list_all_tools().await.unwrap();
    tools.sort_by(|a, b| a.name.cmp(&b.name));
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    assert_eq!(
        names,
        ["apply", "explain_rule", "impact", "list_rules", "plan", "schema_diff", "validate_changes"]
    );
    for tool in &tools {
        assert_eq!(tool.input_schema.get("type"), Some(&json!("object")), "{}", tool.name);
        assert!(tool.description.as_ref().is_some_and(|d| !d.is_empty()), "{}", tool.name);
    }
    let plan = tools.iter().find(|t| t.name == "plan").unwrap();
    let properties = plan.input_schema["properties"].as_object().unwrap();
    for field in ["changes", "changes_path", "paths", "catalog", "dialect", "output_names", "rules"] {
        assert!(properties.contains_key(field), "plan takes {field}: {properties:?}");
    }
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn plan_then_apply_by_id_writes_the_plan() {
    let dir = demo();
    let client = connect(dir.path()).await;
    let planned =
        structured(&client, "plan", json!({ "changes_path": "demo/changes.yaml", "paths": ["demo"] })).await;
    let plan_id = planned["plan_id"].as_str().unwrap().to_string();
    let plan = &planned["plan"];
    assert_eq!(plan["version"], 1);
    let files: Vec<String> =
        plan["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap().into()).collect();
    assert!(files.contains(&"demo/warehouse/models/staging/stg_users.sql".to_string()), "{files:?}");
    assert!(plan["findings"].as_array().is_some_and(|f| !f.is_empty()));
    assert_eq!(
        read(dir.path(), "demo/warehouse/models/staging/stg_users.sql"),
        read(&root().join("fixtures"), "demo/warehouse/models/staging/stg_users.sql"),
        "plan never writes"
    );

    let applied = structured(&client, "apply", json!({ "plan_id": plan_id })).await;
    let written: Vec<String> =
        applied["written"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().into()).collect();
    assert_eq!(written, files);
    assert_eq!(applied["refused"], json!([]));
    assert_eq!(applied["failed"], json!([]));
    for file in plan["files"].as_array().unwrap() {
        let path = file["path"].as_str().unwrap();
        for edit in file["edits"].as_array().unwrap() {
            assert!(read(dir.path(), path).contains(edit["after"].as_str().unwrap()), "{path}: {edit}");
        }
    }

    // Applied once, the same plan is refused file by file: nothing is written twice.
    let again = structured(&client, "apply", json!({ "plan_id": plan_id })).await;
    assert_eq!(again["written"], json!([]));
    assert_eq!(again["refused"].as_array().unwrap().len(), files.len());
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn apply_of_a_plans_json_refuses_a_file_changed_since() {
    let dir = demo();
    let client = connect(dir.path()).await;
    let inline = read(dir.path(), "demo/changes.yaml");
    let planned = structured(&client, "plan", json!({ "changes": inline, "paths": ["demo"] })).await;
    let changed = "demo/analytics/reports/active_users.sql";
    let mine = read(dir.path(), changed) + "-- saved by someone else\n";
    std::fs::write(dir.path().join(changed), &mine).unwrap();

    let applied = structured(&client, "apply", json!({ "plan": planned["plan"] })).await;
    assert_eq!(
        applied["refused"],
        json!([{ "path": changed, "message": "changed on disk since it was planned; not written (plan again)" }])
    );
    let files = planned["plan"]["files"].as_array().unwrap().len();
    assert_eq!(applied["written"].as_array().unwrap().len(), files - 1);
    assert_eq!(read(dir.path(), changed), mine);
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn bad_input_is_an_mcp_error_with_the_command_lines_message() {
    let dir = demo();
    let client = connect(dir.path()).await;
    let bad = "changes:\n  - kind: rename_colum\n    table: users\n";
    let err = call(&client, "plan", json!({ "changes": bad, "paths": ["demo"] })).await.unwrap_err();
    let rmcp::ServiceError::McpError(err) = err else { panic!("an MCP error: {err:?}") };
    assert_eq!(err.code, rmcp::model::ErrorCode::INVALID_PARAMS);
    assert_eq!(
        err.message,
        "<changes>:2:11: unknown kind `rename_colum` (did you mean `rename_column`?); kinds are rename_column, change_type, drop_column, rename_table"
    );
    assert_eq!(err.data.unwrap()["errors"][0]["line"], 2);

    let err = call(&client, "apply", json!({ "plan_id": "plan-99" })).await.unwrap_err();
    assert!(err.to_string().contains("no plan has the id `plan-99`"), "{err}");
    let err = call(&client, "explain_rule", json!({ "id": "sql/no-such-rule" })).await.unwrap_err();
    assert!(err.to_string().contains("no rule has this id"), "{err}");
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn impact_validate_schema_diff_and_the_rule_docs() {
    let dir = demo();
    let client = connect(dir.path()).await;
    let impact =
        structured(&client, "impact", json!({ "changes_path": "demo/changes.yaml", "paths": ["demo"] }))
            .await;
    let references = impact["references"].as_array().unwrap();
    assert!(references.iter().any(|r| r["outcome"] == "rewritten"));
    assert!(references.iter().any(|r| r["outcome"] == "finding"));

    let valid = structured(&client, "validate_changes", json!({ "changes_path": "demo/changes.yaml" })).await;
    assert_eq!(valid["valid"], true);
    assert_eq!(valid["changes"].as_array().unwrap().len(), 4);
    let quoted = "changes:\n  - kind: rename_column\n    table: users\n    from: name\n    to: select\n";
    let warned =
        structured(&client, "validate_changes", json!({ "changes": quoted, "dialect": "postgres" })).await;
    assert_eq!(warned["valid"], true);
    assert_eq!(warned["warnings"].as_array().unwrap().len(), 1, "{warned}");
    let invalid = structured(&client, "validate_changes", json!({ "changes": "changes: []\n" })).await;
    assert_eq!(invalid["valid"], false);
    assert_eq!(
        invalid["errors"][0],
        json!({ "path": "<changes>", "line": 1, "column": 10, "message": "`changes` is empty: list at least one change" })
    );

    std::fs::write(dir.path().join("old.sql"), "CREATE TABLE users (id INT, age INT);\n").unwrap();
    std::fs::write(dir.path().join("new.sql"), "CREATE TABLE users (id INT, age BIGINT);\n").unwrap();
    let yaml = text(&client, "schema_diff", json!({ "old": "old.sql", "new": "new.sql" })).await;
    assert!(yaml.contains("kind: change_type") && yaml.contains("to: BIGINT"), "{yaml}");

    let rules = structured(&client, "list_rules", json!({})).await;
    let ids: Vec<&str> =
        rules["rules"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"sql/rename-column") && ids.contains(&"java/jpa-table"), "{ids:?}");
    let explained = text(&client, "explain_rule", json!({ "id": "java/jpa-table" })).await;
    assert!(explained.starts_with("java/jpa-table  (java rule"), "{explained}");
    client.cancel().await.unwrap();
}
