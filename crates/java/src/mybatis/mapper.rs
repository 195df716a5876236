//! The SQL units of a mapper: each `<select|insert|update|delete>` (once per `<choose>`
//! alternative), each `<selectKey>`, and each `<sql>` fragment no statement of the file
//! includes (a fragment included elsewhere is analysed standalone, and reported if it is not
//! a statement); and its result maps.

use super::render::Renderer;
use super::xml::{Attr, Element, Node};
use ripple_core::Region;

const STATEMENTS: [&str; 4] = ["select", "insert", "update", "delete"];

/// One SQL unit to analyse.
pub(crate) struct Unit {
    pub region: Region,
    /// The element's file span, for findings that cannot be placed more precisely.
    pub span: (usize, usize),
    /// The file spans of its SQL text, which the resolver judges.
    pub judged: Vec<(usize, usize)>,
    /// The ids of the result maps its rows fill (`resultMap="a,b"`).
    pub result_maps: Vec<String>,
    /// The class its rows are mapped onto by column name (`resultType`), if any.
    pub result_type: Option<String>,
}

/// A `<resultMap>` and the columns it maps.
pub(crate) struct ResultMap<'a> {
    pub id: &'a str,
    /// The map it extends, whose columns it maps too.
    pub extends: Option<&'a str>,
    /// Each `column=` attribute of its `<id>`, `<result>`, `<association>`, `<collection>`,
    /// `<arg>`, `<idArg>` and `<discriminator>`, with the property it fills, if named.
    pub columns: Vec<(&'a Attr, Option<&'a str>)>,
}

/// What a mapper holds.
pub(crate) struct Mapper<'a> {
    pub units: Vec<Unit>,
    pub result_maps: Vec<ResultMap<'a>>,
    /// File spans of `#{}`/`${}` parameters: Java names, not database names.
    pub params: Vec<(usize, usize)>,
}

/// Reads the units and result maps of the mapper whose root is `root`.
pub(crate) fn read<'a>(root: &'a Element, text: &str) -> Mapper<'a> {
    let fragments: Vec<(&str, &Element)> =
        root.elements().filter(|e| e.name == "sql").filter_map(|e| Some((e.attr("id")?, e))).collect();
    let renderer = Renderer { text, fragments: &fragments, namespace: root.attr("namespace").unwrap_or("") };
    let mut mapper = Mapper { units: Vec::new(), result_maps: Vec::new(), params: Vec::new() };
    let mut included: Vec<&str> = Vec::new();
    for el in root.elements() {
        if STATEMENTS.contains(&el.name.as_str()) {
            collect_includes(el, &renderer, &mut included, 0);
            add_unit(&mut mapper, &renderer, el);
            for key in el.elements().filter(|k| k.name == "selectKey") {
                add_unit(&mut mapper, &renderer, key);
            }
        } else if el.name == "resultMap" {
            let mut columns = Vec::new();
            result_columns(el, &mut columns);
            let (id, extends) = (el.attr("id").unwrap_or(""), el.attr("extends"));
            mapper.result_maps.push(ResultMap { id, extends, columns });
        }
    }
    for (id, fragment) in &fragments {
        if !included.contains(id) {
            add_unit(&mut mapper, &renderer, fragment);
        }
    }
    mapper
}

fn add_unit(mapper: &mut Mapper<'_>, renderer: &Renderer<'_>, el: &Element) {
    let first = renderer.render(el, 0);
    let variants = first.variants;
    let mut rendered = vec![first];
    rendered.extend((1..variants).map(|v| renderer.render(el, v)));
    let result_maps = el
        .attr("resultMap")
        .map(|m| m.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    for r in rendered {
        let mut judged = Vec::new();
        text_spans(&el.children, renderer, &mut judged, 0);
        mapper.params.extend(r.params.iter().copied());
        mapper.units.push(Unit {
            region: r.region,
            span: el.span,
            judged,
            result_maps: Vec::clone(&result_maps),
            result_type: el.attr("resultType").map(str::to_string),
        });
    }
}

/// The file spans of the text a statement's SQL is made of, fragments it includes too.
fn text_spans(nodes: &[Node], renderer: &Renderer<'_>, out: &mut Vec<(usize, usize)>, depth: usize) {
    for n in nodes {
        match n {
            Node::Text(s, e) | Node::CData(s, e) => out.push((*s, *e)),
            Node::Element(el) if el.name == "include" => {
                if let Some(f) = el.attr("refid").and_then(|r| renderer.fragment(r)).filter(|_| depth < 8) {
                    text_spans(&f.children, renderer, out, depth + 1);
                }
            }
            Node::Element(el) if el.name != "selectKey" => text_spans(&el.children, renderer, out, depth),
            _ => {}
        }
    }
}

fn collect_includes<'a>(el: &Element, renderer: &Renderer<'a>, out: &mut Vec<&'a str>, depth: usize) {
    for child in el.elements() {
        if child.name == "include" {
            let Some(refid) = child.attr("refid") else { continue };
            if let Some((id, fragment)) = renderer
                .fragments
                .iter()
                .find(|(_, f)| renderer.fragment(refid).is_some_and(|x| std::ptr::eq(x, *f)))
            {
                if !out.contains(id) && depth < 8 {
                    out.push(id);
                    collect_includes(fragment, renderer, out, depth + 1);
                }
            }
        } else {
            collect_includes(child, renderer, out, depth);
        }
    }
}

fn result_columns<'a>(el: &'a Element, out: &mut Vec<(&'a Attr, Option<&'a str>)>) {
    for child in el.elements() {
        if let Some(column) = child.attrs.iter().find(|a| a.name == "column") {
            out.push((column, child.attr("property")));
        }
        // Nested maps of associations and collections map columns of the same rows.
        result_columns(child, out);
    }
}
