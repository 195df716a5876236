//! Small readers over saphyr's marked YAML, shared by the fleet file and catalog-info.yaml;
//! where a node is and what it is are read as for change files.

pub use ripple::core::yaml::{describe, origin};
use saphyr::{MarkedYaml, Scalar, YamlData};

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
