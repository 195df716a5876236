//! A MyBatis mapper read with an XML reader into a small tree that keeps every byte offset:
//! text and CDATA runs as spans of the file, entity references with their decoded text,
//! elements with their attributes' value spans, comments. Nothing is decoded in place, so
//! what the SQL regions copy verbatim is exactly the file's bytes.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// One node of the mapper's tree.
#[derive(Debug)]
pub(crate) enum Node {
    /// Character data written as it is: `[start, end)` of the file.
    Text(usize, usize),
    /// A CDATA section's content: `[start, end)` of the file, between `<![CDATA[` and `]]>`.
    CData(usize, usize),
    /// An entity or character reference (`&lt;`), decoded; `None` if it is not one XML defines.
    Ref(Option<String>),
    /// A comment (its span is in [`Document::comments`]).
    Comment,
    Element(Element),
}

/// An element with its attributes and children.
#[derive(Debug)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<Attr>,
    pub children: Vec<Node>,
    /// `[start, end)` of the file, from `<` of its start tag to `>` of its end tag.
    pub span: (usize, usize),
}

/// An attribute: its name, its value as MyBatis reads it (entities decoded), and the file
/// span of its raw value between the quotes.
#[derive(Debug)]
pub(crate) struct Attr {
    pub name: String,
    pub value: String,
    pub span: (usize, usize),
    /// The value is written without entities: its bytes are the value.
    pub verbatim: bool,
}

impl Element {
    /// The value of attribute `name`, if present.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|a| a.name == name).map(|a| a.value.as_str())
    }

    /// The child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            _ => None,
        })
    }
}

/// Where the reader stopped on malformed XML.
#[derive(Debug)]
pub(crate) struct XmlError {
    pub at: usize,
    pub message: String,
}

/// A mapper file as read.
#[derive(Debug)]
pub(crate) struct Document {
    pub root: Element,
    /// The spans of every comment, markup included, wherever it stands.
    pub comments: Vec<(usize, usize)>,
}

/// Reads `text` into the tree of its root element.
pub(crate) fn parse(text: &str) -> Result<Document, XmlError> {
    let mut comments = Vec::new();
    let mut reader = Reader::from_str(text);
    let base = text.as_ptr() as usize;
    let offset_of = |s: &str| s.as_ptr() as usize - base;
    let mut stack: Vec<Element> =
        vec![Element { name: String::new(), attrs: vec![], children: vec![], span: (0, 0) }];
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| XmlError { at: reader.error_position() as usize, message: e.to_string() })?;
        let end = reader.buffer_position() as usize;
        let top = stack.last_mut().expect("the document element is never popped");
        match event {
            Event::Start(e) => {
                let el = element(&e, (start, end), offset_of);
                stack.push(el);
            }
            Event::Empty(e) => top.children.push(Node::Element(element(&e, (start, end), offset_of))),
            Event::End(_) => {
                let mut done = stack.pop().expect("the reader checks that end tags match");
                done.span.1 = end;
                stack.last_mut().expect("a start tag was pushed").children.push(Node::Element(done));
            }
            Event::Text(t) => {
                let s = offset_of(&t);
                top.children.push(Node::Text(s, s + t.len()));
            }
            Event::CData(c) => {
                let s = offset_of(&c);
                top.children.push(Node::CData(s, s + c.len()));
            }
            Event::GeneralRef(r) => {
                let name = r.to_string();
                let decoded = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => quick_xml::escape::resolve_predefined_entity(&name).map(str::to_string),
                };
                top.children.push(Node::Ref(decoded));
            }
            Event::Comment(_) => {
                comments.push((start, end));
                top.children.push(Node::Comment);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err(XmlError { at: text.len(), message: "an element is not closed".into() });
    }
    let doc = stack.pop().expect("one element left");
    let root = doc.children.into_iter().find_map(|n| match n {
        Node::Element(e) => Some(e),
        _ => None,
    });
    let root = root.ok_or(XmlError { at: 0, message: "no root element".into() })?;
    Ok(Document { root, comments })
}

fn element(e: &BytesStart<'_>, span: (usize, usize), offset_of: impl Fn(&str) -> usize) -> Element {
    let attrs = e
        .attributes()
        .flatten()
        .map(|a| {
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_default();
            // Read from a string, the raw value is a slice of it; otherwise it has no place.
            let (span, verbatim) = match &a.value {
                std::borrow::Cow::Borrowed(raw) => {
                    let start = offset_of(raw);
                    ((start, start + raw.len()), !raw.contains(['&', '\n', '\r', '\t']))
                }
                std::borrow::Cow::Owned(_) => ((span.0, span.0), false),
            };
            Attr { name: a.key.0.to_string(), value, span, verbatim }
        })
        .collect();
    Element { name: e.name().0.to_string(), attrs, children: vec![], span }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_the_files() {
        let text = "<?xml version=\"1.0\"?>\n<mapper namespace=\"a.B\"><select id=\"x\">SELECT a &lt; 1 <![CDATA[AND b < 2]]> <if test=\"c\">AND c</if></select><!-- n --></mapper>";
        let doc = parse(text).unwrap();
        let root = &doc.root;
        assert_eq!(root.name, "mapper");
        let ns = &root.attrs[0];
        assert_eq!(&text[ns.span.0..ns.span.1], "a.B");
        let select = root.elements().next().unwrap();
        assert_eq!(
            &text[select.span.0..select.span.1],
            &text[text.find("<select").unwrap()..text.find("<!--").unwrap()]
        );
        let Node::Text(s, e) = select.children[0] else { panic!("{:?}", select.children) };
        assert_eq!(&text[s..e], "SELECT a ");
        assert!(matches!(&select.children[1], Node::Ref(Some(t)) if t == "<"));
        let Node::CData(s, e) = select.children[3] else { panic!("{:?}", select.children) };
        assert_eq!(&text[s..e], "AND b < 2");
        assert!(matches!(root.children.last(), Some(Node::Comment)));
        assert_eq!(&text[doc.comments[0].0..doc.comments[0].1], "<!-- n -->");
    }

    #[test]
    fn malformed_xml_is_an_error_with_a_place() {
        let err = parse("<mapper><select>x</update></mapper>").unwrap_err();
        assert!(err.at > 0, "{err:?}");
    }
}
