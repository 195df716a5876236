//! A mapper statement as SQL: its text, CDATA and entities in order, each byte mapped to the
//! file where it is written verbatim. Dynamic tags are rendered the way MyBatis would with
//! every condition true (`<where>`, `<set>` and `<trim>` add their prefix and drop their
//! overrides; `<foreach>` renders once between `open` and `close`; `<include>` inlines the
//! `<sql>` fragment of the same file). `<choose>` renders one branch per variant, so a
//! statement with alternatives is analysed once per alternative. `#{...}` parameters become
//! `?`, `${...}` substitutions an opaque name: neither is ever rewritten.

use super::xml::{Element, Node};
use ripple_core::Region;

/// A piece of rendered SQL: copied from file offset `origin`, or synthetic.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    origin: Option<usize>,
}

/// Text that stands for a `${...}` substitution or a fragment of another file: a name that
/// parses where a table, a column or an expression stands, and that no change mentions.
const OPAQUE: &str = "__mybatis__";

/// How deep `<include>` is followed (a fragment including itself stops here).
const MAX_INCLUDE_DEPTH: usize = 8;

/// The rendering of one statement.
pub(crate) struct Rendered {
    pub region: Region,
    /// How many `<choose>` alternatives the widest choice has: the variants to render.
    pub variants: usize,
    /// File spans of the `#{}` and `${}` parameters met.
    pub params: Vec<(usize, usize)>,
}

pub(crate) struct Renderer<'a> {
    pub text: &'a str,
    /// The `<sql>` fragments of the file, by id.
    pub fragments: &'a [(&'a str, &'a Element)],
    /// The mapper's namespace, which a qualified `refid` may start with.
    pub namespace: &'a str,
}

impl Renderer<'_> {
    /// Renders the children of `statement`, taking branch `variant` of each `<choose>`.
    pub fn render(&self, statement: &Element, variant: usize) -> Rendered {
        let mut state = State { variant, variants: 1, params: Vec::new() };
        let mut pieces = Vec::new();
        self.children(&statement.children, &mut state, 0, &mut pieces);
        let mut region = Region::new();
        for p in pieces {
            match p.origin {
                Some(at) => region.push_verbatim(&p.text, at),
                None => region.push_synthetic(&p.text),
            }
        }
        Rendered { region, variants: state.variants, params: state.params }
    }

    /// The fragment an `<include refid>` names, in this file.
    pub fn fragment(&self, refid: &str) -> Option<&Element> {
        let local = refid.strip_prefix(self.namespace).and_then(|r| r.strip_prefix('.')).unwrap_or(refid);
        self.fragments.iter().find(|(id, _)| *id == local).map(|(_, e)| *e)
    }

    fn children(&self, nodes: &[Node], state: &mut State, depth: usize, out: &mut Vec<Piece>) {
        for n in nodes {
            match n {
                Node::Text(s, e) | Node::CData(s, e) => self.text_with_params(*s, *e, state, out),
                Node::Ref(decoded) => out.push(synthetic(decoded.as_deref().unwrap_or(OPAQUE))),
                Node::Comment => out.push(synthetic(" ")),
                // MyBatis joins the pieces of dynamic SQL with spaces.
                Node::Element(el) => {
                    out.push(synthetic(" "));
                    self.element(el, state, depth, out);
                    out.push(synthetic(" "));
                }
            }
        }
    }

    fn element(&self, el: &Element, state: &mut State, depth: usize, out: &mut Vec<Piece>) {
        match el.name.as_str() {
            "where" => self.trim(
                el,
                "WHERE",
                "",
                &["AND ", "OR ", "AND\n", "OR\n", "AND\t", "OR\t"],
                &[],
                state,
                depth,
                out,
            ),
            "set" => self.trim(el, "SET", "", &[], &[","], state, depth, out),
            "trim" => {
                let split =
                    |name| el.attr(name).map(|v| v.split('|').collect::<Vec<_>>()).unwrap_or_default();
                let (pre, suf) = (split("prefixOverrides"), split("suffixOverrides"));
                let (prefix, suffix) = (el.attr("prefix").unwrap_or(""), el.attr("suffix").unwrap_or(""));
                self.trim(el, prefix, suffix, &pre, &suf, state, depth, out)
            }
            "foreach" => {
                out.push(synthetic(&format!(" {} ", el.attr("open").unwrap_or(""))));
                self.children(&el.children, state, depth, out);
                out.push(synthetic(&format!(" {} ", el.attr("close").unwrap_or(""))));
            }
            "choose" => {
                let branches: Vec<&Element> =
                    el.elements().filter(|b| matches!(b.name.as_str(), "when" | "otherwise")).collect();
                state.variants = state.variants.max(branches.len());
                if let Some(b) = branches.get(state.variant.min(branches.len().saturating_sub(1))) {
                    self.children(&b.children, state, depth, out);
                }
            }
            "include" => match el.attr("refid").and_then(|r| self.fragment(r)) {
                Some(fragment) if depth < MAX_INCLUDE_DEPTH => {
                    self.children(&fragment.children, state, depth + 1, out)
                }
                _ => out.push(synthetic(&format!(" {OPAQUE} "))),
            },
            // Its own statement, run before or after this one; `<bind>` names an OGNL value.
            "selectKey" | "bind" | "property" => out.push(synthetic(" ")),
            // `<if>` and anything else: its content, as if its condition held.
            _ => self.children(&el.children, state, depth, out),
        }
    }

    /// `<trim>`: the content without a leading prefix override and a trailing suffix
    /// override, between `prefix` and `suffix`; nothing when the content is blank.
    #[allow(clippy::too_many_arguments)]
    fn trim(
        &self,
        el: &Element,
        prefix: &str,
        suffix: &str,
        prefix_overrides: &[&str],
        suffix_overrides: &[&str],
        state: &mut State,
        depth: usize,
        out: &mut Vec<Piece>,
    ) {
        let mut inner = Vec::new();
        self.children(&el.children, state, depth, &mut inner);
        if inner.iter().all(|p| p.text.trim().is_empty()) {
            return;
        }
        strip_leading(&mut inner, prefix_overrides);
        strip_trailing(&mut inner, suffix_overrides);
        out.push(synthetic(&format!(" {prefix} ")));
        out.extend(inner);
        out.push(synthetic(&format!(" {suffix} ")));
    }

    /// Text from the file, with its `#{...}` and `${...}` parameters masked.
    fn text_with_params(&self, start: usize, end: usize, state: &mut State, out: &mut Vec<Piece>) {
        let text = &self.text[start..end];
        let mut at = 0;
        while let Some(p) = find_param(&text[at..]) {
            let (open, close) = (at + p.0, at + p.1);
            if open > at {
                out.push(Piece { text: text[at..open].to_string(), origin: Some(start + at) });
            }
            let bind = text.as_bytes()[open] == b'#';
            // `${condition} #{value}` (MyBatis Generator's criteria) substitutes a column and
            // an operator: the value is compared with something.
            let compared = !bind && text[close..].trim_start().starts_with("#{");
            out.push(synthetic(match (bind, compared) {
                (true, _) => "?",
                (false, true) => "__mybatis__ =",
                (false, false) => OPAQUE,
            }));
            state.params.push((start + open, start + close));
            at = close;
        }
        if at < text.len() {
            out.push(Piece { text: text[at..].to_string(), origin: Some(start + at) });
        }
    }
}

struct State {
    variant: usize,
    variants: usize,
    params: Vec<(usize, usize)>,
}

fn synthetic(text: &str) -> Piece {
    Piece { text: text.to_string(), origin: None }
}

/// The next `#{...}` or `${...}` in `text`: its start and one past its `}`.
fn find_param(text: &str) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let open = (0..b.len().saturating_sub(1)).find(|&i| matches!(b[i], b'#' | b'$') && b[i + 1] == b'{')?;
    let close = text[open..].find('}')? + open + 1;
    Some((open, close))
}

/// Removes the first override (compared case-insensitively, after leading blanks) that
/// starts the rendered text.
fn strip_leading(pieces: &mut [Piece], overrides: &[&str]) {
    let Some(i) = pieces.iter().position(|p| !p.text.trim().is_empty()) else { return };
    let p = &pieces[i];
    let lead = p.text.len() - p.text.trim_start().len();
    let rest = &p.text[lead..];
    let starts = |o: &&&str| {
        !o.is_empty()
            && rest.is_char_boundary(o.len().min(rest.len()))
            && rest.len() >= o.len()
            && rest[..o.len()].eq_ignore_ascii_case(o)
    };
    let Some(o) = overrides.iter().find(starts) else { return };
    // The blanks before it go too: the trim's prefix brings its own.
    let cut = lead + o.len();
    pieces[i] = Piece { text: p.text[cut..].to_string(), origin: p.origin.map(|at| at + cut) };
}

/// Removes the last override that ends the rendered text (before trailing blanks).
fn strip_trailing(pieces: &mut [Piece], overrides: &[&str]) {
    let Some(last) = pieces.iter_mut().rev().find(|p| !p.text.trim().is_empty()) else { return };
    let body = last.text.trim_end().len();
    let Some(o) = overrides.iter().map(|o| o.trim_end()).find(|o| {
        !o.is_empty()
            && body >= o.len()
            && last.text.is_char_boundary(body - o.len())
            && last.text[body - o.len()..body].eq_ignore_ascii_case(o)
    }) else {
        return;
    };
    last.text.truncate(body - o.len());
}

#[cfg(test)]
mod tests {
    use super::super::xml::parse;
    use super::*;

    fn rendered(text: &str, variant: usize) -> (String, usize) {
        let root = parse(text).unwrap().root;
        let fragments: Vec<(&str, &Element)> =
            root.elements().filter(|e| e.name == "sql").map(|e| (e.attr("id").unwrap(), e)).collect();
        let r = Renderer { text, fragments: &fragments, namespace: "ns" };
        let statement = root.elements().find(|e| e.name != "sql").unwrap();
        let out = r.render(statement, variant);
        (out.region.text().split_whitespace().collect::<Vec<_>>().join(" "), out.variants)
    }

    #[test]
    fn dynamic_tags_render_with_every_condition_true() {
        let text = r#"<mapper><sql id="cols">id, user_name</sql><select id="s">SELECT <include refid="ns.cols"/> FROM users
  <where><if test="a">AND user_name = #{name}</if><if test="b">OR id IN <foreach item="i" collection="ids" open="(" separator="," close=")">#{i}</foreach></if></where>
  ORDER BY ${order}</select></mapper>"#;
        assert_eq!(
            rendered(text, 0).0,
            "SELECT id, user_name FROM users WHERE user_name = ? OR id IN ( ? ) ORDER BY __mybatis__"
        );
    }

    #[test]
    fn set_drops_its_trailing_comma_and_choose_has_variants() {
        let text = r#"<mapper><update id="u">UPDATE users <set><if test="n">user_name = #{n},</if><if test="e">email = #{e},</if></set>
  WHERE <choose><when test="x">id = #{id}</when><otherwise>email &lt;&gt; ''</otherwise></choose></update></mapper>"#;
        assert_eq!(rendered(text, 0), ("UPDATE users SET user_name = ?, email = ? WHERE id = ?".into(), 2));
        assert_eq!(rendered(text, 1).0, "UPDATE users SET user_name = ?, email = ? WHERE email <> ''");
    }

    #[test]
    fn verbatim_bytes_map_to_the_file() {
        let text = "<mapper><select id=\"s\"><![CDATA[SELECT user_name FROM users WHERE id < #{id}]]></select></mapper>";
        let root = parse(text).unwrap().root;
        let r = Renderer { text, fragments: &[], namespace: "" };
        let out = r.render(root.elements().next().unwrap(), 0);
        let at = out.region.text().find("user_name").unwrap();
        let (s, e) = out.region.map_span(at, at + 9).unwrap();
        assert_eq!(&text[s..e], "user_name");
        assert_eq!(out.params.len(), 1);
    }
}
