//! Rewrite templates and finding messages: literal text with `{{ variable | filter }}` holes.

use ripple_core::ChangeKind;

/// What a hole can name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Var {
    ChangeKind,
    /// The changed table's old name (every change has one).
    ChangeTable,
    /// The changed column's old name.
    ChangeColumn,
    /// The old name of what is renamed (column or table).
    ChangeFrom,
    /// The new name of what is renamed, qualified as the matched reference is.
    ChangeTo,
    ChangeFromType,
    ChangeToType,
    /// The text of a capture (string content, unquoted).
    Capture(String),
}

pub const CHANGE_FIELDS: [&str; 7] = ["kind", "table", "column", "from", "to", "from_type", "to_type"];

impl Var {
    /// Does this variable have a value for changes of `kind` (`None`: of every kind)?
    pub fn defined_for(&self, kind: Option<ChangeKind>) -> bool {
        match (self, kind) {
            (Var::ChangeKind | Var::ChangeTable | Var::Capture(_), _) => true,
            (_, None) => false,
            (Var::ChangeColumn, Some(kind)) => kind != ChangeKind::RenameTable,
            (Var::ChangeFrom | Var::ChangeTo, Some(kind)) => {
                matches!(kind, ChangeKind::RenameColumn | ChangeKind::RenameTable)
            }
            (Var::ChangeFromType | Var::ChangeToType, Some(kind)) => kind == ChangeKind::ChangeType,
        }
    }

    pub fn name(&self) -> String {
        match self {
            Var::ChangeKind => "change.kind".into(),
            Var::ChangeTable => "change.table".into(),
            Var::ChangeColumn => "change.column".into(),
            Var::ChangeFrom => "change.from".into(),
            Var::ChangeTo => "change.to".into(),
            Var::ChangeFromType => "change.from_type".into(),
            Var::ChangeToType => "change.to_type".into(),
            Var::Capture(c) => format!("capture.{c}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Hole {
    pub var: Var,
    pub filters: Vec<(String, usize)>,
    /// Byte offset of the variable in the template text.
    pub offset: usize,
}

#[derive(Debug, Clone)]
pub enum Part {
    Text(String),
    Hole(Hole),
}

#[derive(Debug, Clone, Default)]
pub struct Template {
    pub parts: Vec<Part>,
}

/// A template that does not parse: what is wrong, at a byte offset of its text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TemplateError {
    /// Where, in bytes from the start of the template text.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl TemplateError {
    fn at(offset: usize, message: impl Into<String>) -> Self {
        TemplateError { offset, message: message.into() }
    }
}

impl Template {
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let mut parts = Vec::new();
        let mut rest = 0;
        while let Some(open) = text[rest..].find("{{").map(|i| rest + i) {
            if open > rest {
                parts.push(Part::Text(text[rest..open].to_string()));
            }
            let Some(close) = text[open + 2..].find("}}").map(|i| open + 2 + i) else {
                return Err(TemplateError::at(open, "`{{` without a closing `}}`"));
            };
            let inner = &text[open + 2..close];
            let mut pieces = inner.split('|');
            let mut pos = open + 2;
            let head = pieces.next().unwrap_or_default();
            let var_offset = pos + (head.len() - head.trim_start().len());
            let var = parse_var(head.trim()).map_err(|m| TemplateError::at(var_offset, m))?;
            pos += head.len() + 1;
            let mut filters = Vec::new();
            for piece in pieces {
                let name = piece.trim();
                let offset = pos + (piece.len() - piece.trim_start().len());
                if name.is_empty() {
                    return Err(TemplateError::at(offset, "empty filter after `|`"));
                }
                filters.push((name.to_string(), offset));
                pos += piece.len() + 1;
            }
            parts.push(Part::Hole(Hole { var, filters, offset: var_offset }));
            rest = close + 2;
        }
        if rest < text.len() {
            parts.push(Part::Text(text[rest..].to_string()));
        }
        Ok(Template { parts })
    }

    pub fn holes(&self) -> impl Iterator<Item = &Hole> {
        self.parts.iter().filter_map(|p| match p {
            Part::Hole(h) => Some(h),
            Part::Text(_) => None,
        })
    }

    /// Renders with `value` for variables and `filter(name, input)` for filters; the first
    /// failure (a type with no entry in a map, a table that moves schema) is the error.
    pub fn render(
        &self,
        value: &dyn Fn(&Var) -> Result<String, String>,
        filter: &dyn Fn(&str, &str) -> Result<String, String>,
    ) -> Result<String, String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Hole(h) => {
                    let mut v = value(&h.var)?;
                    for (f, _) in &h.filters {
                        v = filter(f, &v)?;
                    }
                    out.push_str(&v);
                }
            }
        }
        Ok(out)
    }
}

fn parse_var(path: &str) -> Result<Var, String> {
    if let Some(field) = path.strip_prefix("change.") {
        return Ok(match field {
            "kind" => Var::ChangeKind,
            "table" => Var::ChangeTable,
            "column" => Var::ChangeColumn,
            "from" => Var::ChangeFrom,
            "to" => Var::ChangeTo,
            "from_type" => Var::ChangeFromType,
            "to_type" => Var::ChangeToType,
            other => {
                let hint = ripple_core::suggest::closest(other, &CHANGE_FIELDS);
                let hint = hint.map(|h| format!(" (did you mean `change.{h}`?)")).unwrap_or_default();
                return Err(format!(
                    "unknown field `change.{other}`{hint}; known: {}",
                    CHANGE_FIELDS.map(|f| format!("change.{f}")).join(", ")
                ));
            }
        });
    }
    if let Some(name) = path.strip_prefix("capture.") {
        if !name.is_empty() {
            return Ok(Var::Capture(name.to_string()));
        }
    }
    Err(format!("unknown variable `{path}`: use `change.<field>` or `capture.<name>`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_renders() {
        let t = Template::parse("x{{ change.to_type | upper }}y{{capture.m}}").unwrap();
        let out = t.render(
            &|v| {
                Ok(match v {
                    Var::ChangeToType => "bigint".into(),
                    other => other.name(),
                })
            },
            &|f, s| if f == "upper" { Ok(s.to_uppercase()) } else { Err(f.into()) },
        );
        assert_eq!(out.unwrap(), "xBIGINTycapture.m");
        assert_eq!(Template::parse("a {{ change.nope }}").unwrap_err().offset, 5);
        assert_eq!(Template::parse("{{ change.to ").unwrap_err().offset, 0);
        let t = Template::parse("{{ change.to | x }}").unwrap();
        let h = t.holes().next().unwrap();
        assert_eq!(h.filters, vec![("x".to_string(), 15)]);
    }
}
