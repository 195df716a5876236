//! The description a pull request needs: the change set, the files and their edit counts,
//! the review findings as a checklist, and how verification went.

use crate::state::{Manifest, PlannedFinding, PlannedGroup};

/// How a branch's verification went, for its description.
pub enum Verification<'a> {
    /// No verify command is configured for the repo.
    None,
    /// The command and how it ended.
    Ran {
        /// The command.
        command: &'a str,
        /// Did it exit with 0?
        passed: bool,
        /// How it ended ("exited 1 in 0.2 s").
        summary: String,
    },
}

/// The commit message and PR title: the change set it carries.
pub fn title(manifest: &Manifest) -> String {
    format!("ripple: apply {} ({})", manifest.changes, manifest.campaign)
}

/// The commit message: the title, then every change.
pub fn commit_message(manifest: &Manifest, changes: &[String]) -> String {
    let mut out = format!("{}\n\nChange set {}:\n", title(manifest), manifest.change_set);
    for c in changes {
        out.push_str(&format!("- {c}\n"));
    }
    out
}

/// The PR description of a branch, in Markdown.
pub fn description(
    manifest: &Manifest,
    changes: &[String],
    group: &PlannedGroup,
    findings: &[&PlannedFinding],
    verification: &Verification,
) -> String {
    let mut out = format!("## {}\n\n", title(manifest));
    out.push_str(&format!("Change set `{}` (`{}`):\n\n", manifest.change_set, manifest.changes));
    for c in changes {
        out.push_str(&format!("- {c}\n"));
    }
    out.push_str(&format!("\nOwners: {}\n\n### Files\n\n| file | edits |\n| --- | ---: |\n", group.owner));
    for f in &group.files {
        out.push_str(&format!("| `{}` | {} |\n", f.path, f.edits));
    }
    out.push_str("\n### Review findings\n\n");
    if findings.is_empty() {
        out.push_str("None.\n");
    }
    for f in findings {
        out.push_str(&format!("- [ ] `{}:{}:{}` {} ({})\n", f.path, f.line, f.column, f.message, f.rule));
    }
    out.push_str("\n### Verification\n\n");
    match verification {
        Verification::None => out.push_str("No verify command is configured for this repo.\n"),
        Verification::Ran { command, passed, summary } => {
            let verdict = if *passed { "passed" } else { "failed" };
            out.push_str(&format!("`{command}` {verdict}: {summary}.\n"));
        }
    }
    out
}
