//! A generated fleet for tests and benchmarks (`cargo xtask gen-fleet`): one producer repo
//! defining `users`, and consumers reading it from SQL files, dbt models, Python and Java,
//! with CODEOWNERS, catalog-info.yaml and a verify script that fails where asked.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What to generate.
#[derive(Debug, Clone, Default)]
pub struct FleetSpec {
    /// Repos in all, the producer included (at least 1).
    pub repos: usize,
    /// Consumer numbers (1-based, as in `svc-0001`) whose verify script fails.
    pub failing: Vec<usize>,
}

/// The name of consumer `i`.
pub fn consumer_name(i: usize) -> String {
    format!("svc-{i:04}")
}

/// The producer's name.
pub const PRODUCER: &str = "warehouse";

/// Writes `fleet.yaml`, `changes.yaml` and `repos/*` under `out`; the fleet file's path.
pub fn generate(out: &Path, spec: &FleetSpec) -> std::io::Result<PathBuf> {
    let repos = out.join("repos");
    std::fs::create_dir_all(&repos)?;
    write(out, "changes.yaml", CHANGES)?;
    write(
        out,
        "fleet.yaml",
        "repos:\n  - path: repos/warehouse\n    owner: \"@data-platform\"\ndiscover: repos\n",
    )?;
    let producer = repos.join(PRODUCER);
    write(
        &producer,
        "db/schema.sql",
        "CREATE TABLE users (id INT PRIMARY KEY, user_name TEXT, email TEXT);\n",
    )?;
    write(&producer, "db/views.sql", "CREATE VIEW user_directory AS\nSELECT id, user_name FROM users;\n")?;
    write(&producer, "CODEOWNERS", "/db/ @data-platform\n")?;
    write(&producer, "ripple.toml", "[verify]\ncommand = \"sh verify.sh\"\ntimeout = 60\n")?;
    write(&producer, "verify.sh", &verify_script(false))?;
    commit(&producer)?;
    for i in 1..spec.repos.max(1) {
        let dir = repos.join(consumer_name(i));
        consumer(&dir, i, spec.failing.contains(&i))?;
        commit(&dir)?;
    }
    Ok(out.join("fleet.yaml"))
}

const CHANGES: &str =
    "changes:\n  - kind: rename_column\n    table: users\n    from: user_name\n    to: username\n";

fn verify_script(fails: bool) -> String {
    if fails {
        "echo 'running tests'\necho 'FAILED test_users: no column user_name' >&2\nexit 1\n".to_string()
    } else {
        "echo 'running tests'\necho ok\n".to_string()
    }
}

/// Consumer `i`: its kind of code turns with `i`; two owners via CODEOWNERS, a third via
/// catalog-info.yaml.
fn consumer(dir: &Path, i: usize, fails: bool) -> std::io::Result<()> {
    let team = format!("@team-{}", i % 5);
    write(dir, "CODEOWNERS", &format!("* {team}\n/reports/ @analysts\n"))?;
    write(dir, "ripple.toml", "[verify]\ncommand = \"sh verify.sh\"\ntimeout = 60\n")?;
    write(dir, "verify.sh", &verify_script(fails))?;
    write(
        dir,
        "reports/active_users.sql",
        "SELECT user_name, email\nFROM users\nWHERE email IS NOT NULL;\n",
    )?;
    match i % 4 {
        0 => write(dir, "models/user_names.sql", "select id, user_name from users\n")?,
        1 => {
            write(
                dir,
                "app/repo.py",
                "def names(cur):\n    cur.execute(\"SELECT user_name FROM users WHERE id = %s\", (1,))\n    return cur.fetchall()\n",
            )?;
            write(dir, "app/catalog-info.yaml", &format!(
                "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {}\nspec:\n  owner: group:svc-{i}-devs\n",
                consumer_name(i)
            ))?;
            write(dir, "CODEOWNERS", &format!("/reports/ @analysts\n/ripple.toml {team}\n"))?;
        }
        2 => write(
            dir,
            "src/main/java/app/Users.java",
            "package app;\n\nclass Users {\n    java.util.List<?> names(org.springframework.jdbc.core.JdbcTemplate jdbc) {\n        return jdbc.queryForList(\"SELECT user_name FROM users\");\n    }\n}\n",
        )?,
        _ => write(
            dir,
            "queries/lookup.sql",
            "SELECT u.user_name FROM users u WHERE u.id = 1;\nSELECT * FROM users JOIN logins USING (user_name);\n",
        )?,
    }
    Ok(())
}

fn write(dir: &Path, rel: &str, text: &str) -> std::io::Result<()> {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap_or(dir))?;
    std::fs::write(path, text)
}

/// `git init` and one commit, with an identity of its own so no global config is needed.
fn commit(dir: &Path) -> std::io::Result<()> {
    let git = |args: &[&str]| -> std::io::Result<()> {
        let status = Command::new("git")
            .args(["-c", "user.name=ripple gen-fleet", "-c", "user.email=gen-fleet@example.invalid"])
            .args(["-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(dir)
            .status()?;
        if status.success() {
            Ok(())
        } else {
            Err(std::io::Error::other(format!("git {} failed in {}", args.join(" "), dir.display())))
        }
    };
    git(&["init", "--quiet"])?;
    git(&["add", "."])?;
    git(&["commit", "--quiet", "-m", "initial"])
}
