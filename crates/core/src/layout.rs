//! The layouts of schema migration tools, by path: their files record what was applied to a
//! database (rewriting one breaks the tool's checksum or its history), so they are
//! historical, and a repo that has them manages its schema with that tool.

use std::path::Path;

/// A schema migration tool (or a dbt snapshot, which records history the same way).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MigrationTool {
    /// `db/migration/V1__x.sql`, or any `V1__x.sql`.
    Flyway,
    /// `db/changelog/...`, `*changelog*.{xml,yaml,sql}`.
    Liquibase,
    /// `deploy/`, `revert/`, `verify/` beside a `sqitch.plan`.
    Sqitch,
    /// `alembic/versions/`, `migrations/versions/`.
    Alembic,
    /// `<app>/migrations/0001_x.py`.
    Django,
    /// `db/migrate/20240101000000_x.rb`.
    Rails,
    /// `snapshots/` of a dbt project.
    DbtSnapshot,
}

impl MigrationTool {
    /// Its name, for people.
    pub fn name(self) -> &'static str {
        match self {
            MigrationTool::Flyway => "Flyway",
            MigrationTool::Liquibase => "Liquibase",
            MigrationTool::Sqitch => "Sqitch",
            MigrationTool::Alembic => "Alembic",
            MigrationTool::Django => "Django migrations",
            MigrationTool::Rails => "Rails migrations",
            MigrationTool::DbtSnapshot => "dbt snapshots",
        }
    }

    /// The tool whose layout a file is part of, from its path relative to its `root`.
    pub fn of(root: &Path, relative: &Path) -> Option<MigrationTool> {
        let dirs: Vec<String> = relative
            .parent()
            .map(|p| p.components().map(|c| c.as_os_str().to_string_lossy().to_ascii_lowercase()).collect())
            .unwrap_or_default();
        let name = relative.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        let has = |d: &str| dirs.iter().any(|x| x == d);
        let pair = |a: &str, b: &str| dirs.windows(2).any(|w| w[0] == a && w[1] == b);
        let ext = |e: &str| name.ends_with(e);
        if is_flyway_name(&name) || pair("db", "migration") || has("flyway") {
            Some(MigrationTool::Flyway)
        } else if has("changelog") || has("changelogs") || name.contains("changelog") {
            Some(MigrationTool::Liquibase)
        } else if pair("alembic", "versions") || pair("migrations", "versions") {
            Some(MigrationTool::Alembic)
        } else if pair("db", "migrate") {
            Some(MigrationTool::Rails)
        } else if has("migrations") && ext(".py") {
            Some(MigrationTool::Django)
        } else if has("snapshots") && ext(".sql") && root.join("dbt_project.yml").is_file() {
            Some(MigrationTool::DbtSnapshot)
        } else if ["deploy", "revert", "verify"].iter().any(|d| dirs.first().is_some_and(|x| x == d))
            && ext(".sql")
            && root.join("sqitch.plan").is_file()
        {
            Some(MigrationTool::Sqitch)
        } else {
            None
        }
    }
}

/// `V12__rename.sql`, `v1.2__x.sql`.
fn is_flyway_name(name: &str) -> bool {
    name.strip_prefix('v').and_then(|rest| rest.split_once("__")).is_some_and(|(v, _)| {
        v.starts_with(|c: char| c.is_ascii_digit())
            && v.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '_')
    })
}

#[cfg(test)]
mod tests {
    use super::MigrationTool::{self, *};
    use std::path::Path;

    #[test]
    fn layouts_by_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("sqitch.plan"), "%project=x\n").unwrap();
        std::fs::write(dir.path().join("dbt_project.yml"), "name: x\n").unwrap();
        let of = |p: &str| MigrationTool::of(dir.path(), Path::new(p));
        assert_eq!(of("src/main/resources/db/migration/V2__owners.sql"), Some(Flyway));
        assert_eq!(of("sql/V1.1__x.sql"), Some(Flyway));
        assert_eq!(of("src/main/resources/db/changelog/db.changelog-master.yaml"), Some(Liquibase));
        assert_eq!(of("deploy/owners.sql"), Some(Sqitch));
        assert_eq!(of("alembic/versions/3f2a_add.py"), Some(Alembic));
        assert_eq!(of("blog/migrations/0002_auto.py"), Some(Django));
        assert_eq!(of("db/migrate/20240101000000_add.rb"), Some(Rails));
        assert_eq!(of("snapshots/orders_snapshot.sql"), Some(DbtSnapshot));
        for no in ["models/owners.sql", "app/deploy.py", "scripts/verify/check.py", "src/v2_api.py"] {
            assert_eq!(of(no), None, "{no}");
        }
        let bare = tempfile::tempdir().unwrap();
        assert_eq!(MigrationTool::of(bare.path(), Path::new("deploy/owners.sql")), None, "no sqitch.plan");
        assert_eq!(MigrationTool::of(bare.path(), Path::new("snapshots/s.sql")), None, "no dbt project");
    }
}
