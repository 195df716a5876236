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
                words.iter().any(|w| column.matches(w, false)) && names_table(context, c.table(), model_names)
            }
        };
        about.then_some(i)
    })
}

/// Does `text` name `table`, as a whole word in any case (or, with `model_names`, as a
/// model class would: singular, in CamelCase)?
pub fn names_table(text: &str, table: &TableName, model_names: bool) -> bool {
    let name = table.name().value.as_str();
    if names_word(text, name) {
        return true;
    }
    model_names && model_spellings(name).iter().any(|s| names_word(text, s))
}

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
