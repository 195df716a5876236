//! Is a mention about the changed dataset? A review finding must be: a column's name counts
//! only where its table is in reach (named in the same statement, or at least in the same
//! file, by its name or the name of a model mapped to it), and the name of a table that is
//! not renamed counts for nothing on its own while only its columns change.

use crate::change::{Change, ChangeSet, TableName};

/// The first change that `words`, mentioned together, are about, where `context` is the
/// text in which a changed column's table must be named for the column to count (the
/// statement, or the file): a renamed table's old name, or a changed column whose table
/// `context` names. `model_names` also counts a model's spelling of the table (`User`,
/// `Owner`, `UserSurvey` for `user`, `owners`, `user_survey`), for a host file.
pub fn change_about(changes: &ChangeSet, words: &[&str], context: &str, model_names: bool) -> Option<usize> {
    changes.iter().find_map(|(i, c)| {
        let about = match c {
            Change::RenameTable { from, .. } => words.iter().any(|w| from.name().matches(w, false)),
            _ => {
                let column = c.column().expect("a column change names a column");
                let in_reach = names_table(context, c.table(), model_names)
                    || model_names
                        && matches!(c, Change::DropColumn { .. })
                        && names_django_model(context, c.table());
                words.iter().any(|w| column.matches(w, false)) && in_reach
            }
        };
        about.then_some(i)
    })
}

/// Does `text` name `table`, as a whole word in any case (or, with `model_names`, as a
/// model class would: singular, in CamelCase, or a class generated or written for that
/// model, `PmsBrandExample`, `OwnerRepository`)?
pub fn names_table(text: &str, table: &TableName, model_names: bool) -> bool {
    let name = table.name().value.as_str();
    if names_word(text, name) {
        return true;
    }
    if !model_names {
        return false;
    }
    let mut spellings = model_spellings(name);
    spellings.push(name.to_string());
    spellings.iter().any(|s| {
        names_word(text, s) && !s.eq_ignore_ascii_case(name)
            || MODEL_CLASS_SUFFIXES
                .iter()
                .any(|suffix| names_word(text, &format!("{}{suffix}", s.replace('_', ""))))
    })
}

/// Does Django code name the model of `table`, `Author` for `catalog_author` (Django's
/// `<app label>_<model>`)? Counted for a dropped column only: the field goes with it, so the
/// field's name in admin options, forms and queries breaks; a rename keeps the field's name
/// (`db_column`), and those strings stay right.
fn names_django_model(text: &str, table: &TableName) -> bool {
    let name = table.name().value.as_str();
    let Some((_, model)) = name.split_once('_') else { return false };
    text.contains("django") && names_word(text, model)
}

/// The classes a model's own name is the stem of: MyBatis Generator's criteria
/// (`PmsBrandExample`), mapper interfaces, DAOs and repositories.
const MODEL_CLASS_SUFFIXES: [&str; 4] = ["Example", "Mapper", "Dao", "Repository"];

/// A model class's spellings of a table's name: `user_surveys` is `UserSurveys`,
/// `user_survey`, `UserSurvey`; `categories` is `category`.
fn model_spellings(table: &str) -> Vec<String> {
    let singular = if let Some(stem) = table.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = table.strip_suffix('s').filter(|s| !s.ends_with('s')) {
        stem.to_string()
    } else {
        table.to_string()
    };
    let camel = |s: &str| s.split('_').collect::<String>();
    let mut out = vec![singular.clone(), camel(table), camel(&singular)];
    out.retain(|s| !s.is_empty() && !s.eq_ignore_ascii_case(table));
    out.dedup();
    out
}

/// Does `text` contain `word` with no identifier character on either side, ignoring ASCII
/// case?
pub fn names_word(text: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let (hay, needle) = (text.as_bytes(), word.as_bytes());
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    hay.windows(needle.len()).enumerate().any(|(at, w)| {
        w.eq_ignore_ascii_case(needle)
            && (at == 0 || !ident(hay[at - 1]))
            && hay.get(at + needle.len()).is_none_or(|&b| !ident(b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::Ident;

    fn changes() -> ChangeSet {
        ChangeSet::new(vec![
            Change::RenameColumn {
                table: TableName::parse("owners"),
                from: Ident::new("first_name"),
                to: Ident::new("given_name"),
            },
            Change::RenameTable { from: TableName::parse("vets"), to: TableName::parse("veterinarians") },
        ])
    }

    #[test]
    fn a_column_counts_where_its_table_is_named() {
        let c = changes();
        assert_eq!(change_about(&c, &["first_name"], "SELECT first_name FROM owners", false), Some(0));
        assert_eq!(change_about(&c, &["first_name"], "SELECT first_name FROM people", false), None);
        assert_eq!(change_about(&c, &["first_name"], "class Owner(Base): first_name", true), Some(0));
        assert_eq!(change_about(&c, &["first_name"], "class Owner(Base): first_name", false), None);
        assert_eq!(change_about(&c, &["first_name"], "class Ownership: first_name", true), None);
    }

    #[test]
    fn django_code_names_a_model_for_a_dropped_column() {
        let drop = ChangeSet::new(vec![Change::DropColumn {
            table: TableName::parse("catalog_author"),
            column: Ident::new("date_of_death"),
        }]);
        let admin =
            "from django.contrib import admin\nfrom .models import Author\nfields = ['date_of_death']";
        assert_eq!(change_about(&drop, &["date_of_death"], admin, true), Some(0));
        assert_eq!(change_about(&drop, &["date_of_death"], admin, false), None);
        assert_eq!(change_about(&drop, &["date_of_death"], &admin.replace("django", "flask"), true), None);
        let rename = ChangeSet::new(vec![Change::RenameColumn {
            table: TableName::parse("catalog_author"),
            from: Ident::new("date_of_death"),
            to: Ident::new("died_on"),
        }]);
        assert_eq!(change_about(&rename, &["date_of_death"], admin, true), None);
    }

    #[test]
    fn a_class_written_for_the_model_names_its_table() {
        let brand = |text: &str| names_table(text, &TableName::parse("pms_brand"), true);
        assert!(brand("public class PmsBrandExample {"));
        assert!(brand("PmsBrandMapper brandMapper;"));
        assert!(brand("interface PmsBrandDao"));
        assert!(!brand("public class PmsBrandExampleTest {"));
        assert!(!brand("PmsBrandExample"[3..].as_ref()));
        assert!(!names_table("class PmsBrandExample", &TableName::parse("pms_brand"), false));
        assert!(names_table("OwnerRepository owners", &TableName::parse("owners"), true));
    }

    #[test]
    fn an_unrenamed_table_alone_counts_for_nothing() {
        let c = changes();
        assert_eq!(change_about(&c, &["owners"], "owners", true), None);
        assert_eq!(change_about(&c, &["vets"], "vets", true), Some(1));
    }

    #[test]
    fn model_spellings_of_table_names() {
        assert_eq!(model_spellings("user_surveys"), ["user_survey", "usersurveys", "usersurvey"]);
        assert_eq!(model_spellings("categories"), ["category"]);
        assert_eq!(model_spellings("user"), Vec::<String>::new());
        assert_eq!(model_spellings("address"), Vec::<String>::new());
    }
}
