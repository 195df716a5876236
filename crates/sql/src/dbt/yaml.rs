//! Reading saphyr's marked YAML: mapping lookups, scalars, sequences, and byte spans (saphyr
//! marks positions in characters).

use saphyr::{MarkedYaml, Scalar, YamlData};

/// Char index (saphyr's markers) to byte offset.
pub(crate) struct Offsets(Vec<usize>);

impl Offsets {
    pub(crate) fn new(text: &str) -> Self {
        let mut v: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        v.push(text.len());
        Offsets(v)
    }

    pub(crate) fn byte(&self, char_index: usize) -> usize {
        self.0.get(char_index).copied().unwrap_or_else(|| self.0.last().copied().unwrap_or(0))
    }

    /// The byte span of a node.
    pub(crate) fn span(&self, node: &MarkedYaml<'_>) -> (usize, usize) {
        (self.byte(node.span.start.index()), self.byte(node.span.end.index()))
    }
}

/// A key and its value in a mapping.
pub(crate) type Entry<'a, 'i> = (&'a MarkedYaml<'i>, &'a MarkedYaml<'i>);

/// The key and value of `key` in a mapping.
pub(crate) fn entry<'a, 'i>(node: &'a MarkedYaml<'i>, key: &str) -> Option<Entry<'a, 'i>> {
    match &node.data {
        YamlData::Mapping(m) => m.iter().find(|(k, _)| str_of(k) == Some(key)),
        _ => None,
    }
}

/// The value of `key` in a mapping.
pub(crate) fn get<'a, 'i>(node: &'a MarkedYaml<'i>, key: &str) -> Option<&'a MarkedYaml<'i>> {
    entry(node, key).map(|(_, v)| v)
}

/// A scalar's text, whatever it loads as (`version: 2` is the text `2`).
pub(crate) fn str_of<'a>(node: &'a MarkedYaml<'_>) -> Option<&'a str> {
    match &node.data {
        YamlData::Value(Scalar::String(s)) => Some(s),
        YamlData::Representation(s, ..) => Some(s),
        _ => None,
    }
}

/// The items of a sequence; nothing for anything else.
pub(crate) fn items<'a, 'i>(node: Option<&'a MarkedYaml<'i>>) -> &'a [MarkedYaml<'i>] {
    match node.map(|n| &n.data) {
        Some(YamlData::Sequence(s)) => s,
        _ => &[],
    }
}

/// The entries of a mapping; nothing for anything else.
pub(crate) fn pairs<'a, 'i>(node: &'a MarkedYaml<'i>) -> Vec<Entry<'a, 'i>> {
    match &node.data {
        YamlData::Mapping(m) => m.iter().collect(),
        _ => Vec::new(),
    }
}

/// Strings of a scalar or a sequence of scalars (`model-paths: ["models"]`).
pub(crate) fn strings(node: Option<&MarkedYaml<'_>>) -> Option<Vec<String>> {
    let node = node?;
    if let Some(s) = str_of(node) {
        return Some(vec![s.to_string()]);
    }
    Some(items(Some(node)).iter().filter_map(str_of).map(str::to_string).collect())
}
