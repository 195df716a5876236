//! Small readers over saphyr's marked YAML, shared by the fleet file and catalog-info.yaml.

use saphyr::{MarkedYaml, Scalar, YamlData};

/// 1-based line and column of a node (saphyr's columns are 0-based).
pub fn origin(node: &MarkedYaml) -> (usize, usize) {
    let start = node.span.start;
    (start.line().max(1), start.col() + 1)
}

/// The value of `key` in a mapping.
pub fn get<'a, 'i>(node: &'a MarkedYaml<'i>, key: &str) -> Option<&'a MarkedYaml<'i>> {
    match &node.data {
        YamlData::Mapping(m) => m.iter().find(|(k, _)| str_of(k) == Some(key)).map(|(_, v)| v),
        _ => None,
    }
}

/// The text of a scalar: strings as they are, numbers and booleans as written.
pub fn str_of<'a>(node: &'a MarkedYaml<'_>) -> Option<&'a str> {
    match &node.data {
        YamlData::Value(Scalar::String(s)) => Some(s),
        YamlData::Representation(s, ..) => Some(s),
        _ => None,
    }
}

/// What a node is, for messages ("found a list").
pub fn describe(node: &MarkedYaml) -> &'static str {
    match &node.data {
        YamlData::Value(Scalar::String(_)) | YamlData::Representation(..) => "a string",
        YamlData::Value(Scalar::Integer(_) | Scalar::FloatingPoint(_)) => "a number",
        YamlData::Value(Scalar::Boolean(_)) => "a boolean",
        YamlData::Value(Scalar::Null) => "nothing",
        YamlData::Sequence(_) => "a list",
        YamlData::Mapping(_) => "a mapping",
        _ => "another kind of value",
    }
}
