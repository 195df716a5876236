//! Where a node of saphyr's marked YAML is and what it is, for messages: one reading for
//! every YAML file ripple reports on (change files, fleet files, catalog-info.yaml).

use saphyr::{MarkedYaml, Marker, Scalar, YamlData};

/// 1-based line and column of a place: saphyr's lines are 1-based (0 before the first),
/// its columns 0-based.
pub fn line_column(mark: Marker) -> (usize, usize) {
    (mark.line().max(1), mark.col() + 1)
}

/// 1-based line and column of where a node starts.
pub fn origin(node: &MarkedYaml) -> (usize, usize) {
    line_column(node.span.start)
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
        YamlData::Tagged(..) => "a tagged value",
        YamlData::Alias(_) => "an alias",
        YamlData::BadValue => "an invalid value",
    }
}
