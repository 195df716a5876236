//! `ripple mcp`: a Model Context Protocol server on stdio, so that an agent can plan, apply
//! exactly what it planned, and read the rule docs without parsing command output. Each tool
//! does what its command does, with the same messages; bad input is an MCP error (invalid
//! params) carrying the command's messages and, in its data, each error located.

mod params;
mod tools;

use params::{
    ApplyOutput, ApplyParams, ChangesInput, ExplainRuleParams, ListRulesOutput, ListRulesParams, PlanOutput,
    PlanParams, SchemaDiffParams, ValidateOutput,
};
use ripple::core::Impact;
use ripple::{apply_plan, apply_saved_plan, ApplyOptions, InputError, InputErrors, Plan};
use rmcp::handler::server::{router::tool::ToolRouter, wrapper::Parameters};
use rmcp::model::{Implementation, ServerCapabilities, ServerConfig};
use rmcp::{tool, tool_handler, tool_router, ErrorData, Json, ServerHandler, ServiceExt};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Serves one session on stdin and stdout until the client closes it.
pub fn serve() -> Result<i32, InputErrors> {
    let failed =
        |e: &dyn std::fmt::Display| InputError::file(Path::new("<stdio>"), format!("MCP session: {e}"));
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| failed(&e))?;
    runtime.block_on(async {
        let session = Server::new().serve(rmcp::transport::stdio()).await.map_err(|e| failed(&e))?;
        session.waiting().await.map_err(|e| failed(&e))?;
        Ok(crate::EXIT_OK)
    })
}

/// The server: its tools, and the plans it made, by id, for `apply`.
#[derive(Clone)]
struct Server {
    plans: Arc<Mutex<Plans>>,
    tool_router: ToolRouter<Self>,
}

/// Plans made in this session. They keep the bytes they were planned against, so applying
/// one by id checks each file against those bytes themselves.
#[derive(Default)]
struct Plans {
    made: usize,
    by_id: HashMap<String, Plan>,
}

/// The command line's messages, one a line, with each error located in the data.
fn input_error(errors: InputErrors) -> ErrorData {
    let message = errors.to_string();
    let located: Vec<_> = errors.0.into_iter().map(tools::located).collect();
    ErrorData::invalid_params(message, Some(serde_json::json!({ "errors": located })))
}

/// Runs `work` on the blocking pool: planning reads and parses files.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, InputErrors> + Send + 'static,
) -> Result<T, ErrorData> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result.map_err(input_error),
        Err(e) => Err(ErrorData::internal_error(format!("the tool failed: {e}"), None)),
    }
}

#[tool_router]
impl Server {
    fn new() -> Self {
        Server { plans: Arc::default(), tool_router: Self::tool_router() }
    }

    #[tool(description = "Plan a schema change: the edits ripple would make (with diffs) and the \
findings a human or an agent must handle, as `ripple plan --format json`. Never writes. Returns \
the plan and a plan_id for `apply`.")]
    async fn plan(&self, Parameters(params): Parameters<PlanParams>) -> Result<Json<PlanOutput>, ErrorData> {
        let plan = blocking(move || tools::plan(&params)).await?;
        let mut plans = self.plans.lock().expect("no tool panics holding the plans");
        plans.made += 1;
        let plan_id = format!("plan-{}", plans.made);
        plans.by_id.insert(plan_id.clone(), plan.clone());
        Ok(Json(PlanOutput { plan_id, plan }))
    }

    #[tool(description = "Write exactly the edits of a plan, given by its plan_id or as the plan's \
JSON. A file whose content changed since it was planned is refused (and listed with why); the \
others are still written.")]
    async fn apply(
        &self,
        Parameters(params): Parameters<ApplyParams>,
    ) -> Result<Json<ApplyOutput>, ErrorData> {
        let report = match (params.plan_id, params.plan) {
            (Some(id), None) => {
                let found =
                    self.plans.lock().expect("no tool panics holding the plans").by_id.get(&id).cloned();
                let Some(plan) = found else {
                    let message = format!("no plan has the id `{id}` in this session; call `plan` first");
                    return Err(ErrorData::invalid_params(message, None));
                };
                blocking(move || Ok(apply_plan(&plan))).await?
            }
            (None, Some(plan)) => {
                blocking(move || Ok(apply_saved_plan(&plan, &ApplyOptions::default()))).await?
            }
            _ => return Err(ErrorData::invalid_params("give `plan_id` or `plan`, not both", None)),
        };
        Ok(Json(tools::apply_output(&report)))
    }

    #[tool(description = "Every reference to a changed name, rewritten or not, as `ripple impact \
--format json`. Never writes.")]
    async fn impact(&self, Parameters(params): Parameters<PlanParams>) -> Result<Json<Impact>, ErrorData> {
        let plan = blocking(move || tools::plan(&params)).await?;
        Ok(Json(Impact::of(&plan)))
    }

    #[tool(description = "Check a change set without scanning code: the changes as understood, or \
every error with its line and column; warnings too.")]
    async fn validate_changes(
        &self,
        Parameters(input): Parameters<ChangesInput>,
    ) -> Result<Json<ValidateOutput>, ErrorData> {
        blocking(move || Ok(tools::validate_changes(&input))).await.map(Json)
    }

    #[tool(description = "Derive a change file (YAML) from two versions of a schema's DDL, as \
`ripple schema-diff OLD NEW`.")]
    async fn schema_diff(
        &self,
        Parameters(params): Parameters<SchemaDiffParams>,
    ) -> Result<String, ErrorData> {
        blocking(move || tools::schema_diff(&params)).await
    }

    #[tool(description = "Every rule id ripple can print, with its summary, the change kinds it \
serves and where it is defined, as `ripple rules list`.")]
    async fn list_rules(
        &self,
        Parameters(params): Parameters<ListRulesParams>,
    ) -> Result<Json<ListRulesOutput>, ErrorData> {
        blocking(move || tools::list_rules(&params.rules)).await.map(|rules| Json(ListRulesOutput { rules }))
    }

    #[tool(description = "What a rule id does, with an example, as `ripple rules explain ID`.")]
    async fn explain_rule(
        &self,
        Parameters(params): Parameters<ExplainRuleParams>,
    ) -> Result<String, ErrorData> {
        blocking(move || tools::explain_rule(&params.id, &params.rules)).await
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("ripple", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "ripple carries a database schema change (column renames, type changes, drops, table \
renames) through the code that reads the changed tables. Call `plan`, handle its findings, then \
`apply` the plan_id. Relative paths are taken from the server's working directory.",
            )
    }
}
