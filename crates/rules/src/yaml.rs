//! A located, owned view of a YAML document: every node keeps its 1-based line and column,
//! so every mistake in a rule file is reported at `file:line:column`.

use ripple_core::InputError;
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use std::path::Path;

#[derive(Debug, Clone)]
pub enum Value {
    Str(String),
    Int(i64),
    Float,
    Bool(bool),
    Null,
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
    Other,
}

#[derive(Debug, Clone)]
pub struct Node {
    pub value: Value,
    /// 1-based.
    pub line: usize,
    /// 1-based.
    pub column: usize,
}

impl Node {
    pub fn describe(&self) -> &'static str {
        match self.value {
            Value::Str(_) => "a string",
            Value::Int(_) | Value::Float => "a number",
            Value::Bool(_) => "a boolean",
            Value::Null => "nothing",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
            Value::Other => "an unsupported value",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

fn convert(node: &MarkedYaml) -> Node {
    let start = node.span.start;
    let value = match &node.data {
        YamlData::Value(Scalar::String(s)) => Value::Str(s.to_string()),
        YamlData::Value(Scalar::Integer(i)) => Value::Int(*i),
        YamlData::Value(Scalar::FloatingPoint(_)) => Value::Float,
        YamlData::Value(Scalar::Boolean(b)) => Value::Bool(*b),
        YamlData::Value(Scalar::Null) => Value::Null,
        YamlData::Representation(s, ..) => Value::Str(s.to_string()),
        YamlData::Sequence(items) => Value::Seq(items.iter().map(convert).collect()),
        YamlData::Mapping(map) => Value::Map(map.iter().map(|(k, v)| (convert(k), convert(v))).collect()),
        _ => Value::Other,
    };
    Node { value, line: start.line().max(1), column: start.col() + 1 }
}

/// Parses one YAML document. An empty file is `None`.
pub fn parse(path: &Path, text: &str) -> Result<Option<Node>, InputError> {
    match MarkedYaml::load_from_str(text) {
        Ok(docs) => {
            if let Some(extra) = docs.get(1) {
                let n = convert(extra);
                return Err(InputError::at(
                    path,
                    n.line,
                    n.column,
                    "one YAML document per file; another starts here",
                ));
            }
            Ok(docs.first().map(convert))
        }
        Err(e) => {
            let mark = e.marker();
            Err(InputError::at(
                path,
                mark.line().max(1),
                mark.col() + 1,
                format!("invalid YAML: {}", e.info()),
            ))
        }
    }
}

/// Where the text of a string scalar starts in the file, so that a position inside the
/// string (row and column, 0-based) can be located: block scalars (`|`, `>`) start on the
/// next non-blank line at its indentation; quoted scalars one character after the quote.
pub fn text_origin(source: &str, node: &Node) -> (usize, usize, bool) {
    let lines: Vec<&str> = source.lines().collect();
    let Some(line) = lines.get(node.line - 1) else { return (node.line, node.column, false) };
    let at: String = line.chars().skip(node.column - 1).take(1).collect();
    match at.as_str() {
        "|" | ">" => {
            // Leading blank lines are part of a literal block's text, so row 0 is the line
            // after the indicator; the indentation is that of the first non-blank line.
            if let Some(l) = lines.iter().skip(node.line).find(|l| !l.trim().is_empty()) {
                let indent = l.len() - l.trim_start().len();
                return (node.line + 1, indent + 1, true);
            }
            (node.line, node.column, false)
        }
        "\"" | "'" => (node.line, node.column + 1, false),
        // saphyr starts a block scalar's span at its first content line: alone on its line
        // after the indentation, and its rows keep that column.
        _ => {
            let alone = line.chars().take(node.column - 1).all(char::is_whitespace);
            (node.line, node.column, alone && node.line > 1)
        }
    }
}

/// The file position of `(row, column)` (0-based) inside a string scalar's text.
pub fn locate_in(source: &str, node: &Node, row: usize, column: usize) -> (usize, usize) {
    let (line, col, block) = text_origin(source, node);
    if row == 0 {
        (line, col + column)
    } else if block {
        (line + row, col + column)
    } else {
        // Folded flow scalars lose their line structure; the line is still right.
        (line + row, column + 1)
    }
}
