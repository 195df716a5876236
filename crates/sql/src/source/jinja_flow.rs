//! Jinja control flow inside one statement: `{% if %}`/`{% elif %}`/`{% else %}`/`{% endif %}`
//! and `{% for %}`/`{% else %}`/`{% endfor %}`, nested. Each way through them is a variant of
//! the statement's masked text in which the branches not taken are blanked, so every branch
//! is parsed and resolved as the SQL it renders to. A loop's body is read once (one iteration
//! stands for all: its names are the same each time), so inside it an `if` on `loop.first` or
//! `loop.last` (a separator such as `{% if not loop.last %},{% endif %}`) takes the arm a
//! single iteration takes.

use super::jinja::{BlockKind, Masked};

/// The most variants a statement is analysed in; beyond it the statement is reported.
pub(crate) const MAX_VARIANTS: usize = 64;

/// One way through a statement's control flow: the byte ranges it blanks (sorted, disjoint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Variant {
    pub dead: Vec<(usize, usize)>,
}

impl Variant {
    /// Is `[start, end)` rendered in this variant (not inside a branch it blanks)?
    pub(crate) fn is_live(&self, start: usize, end: usize) -> bool {
        !self.dead.iter().any(|&(s, e)| s < end.max(start + 1) && start < e)
    }

    /// The masked text of this variant: the blanked ranges become spaces, newlines kept.
    pub(crate) fn mask(&self, masked: &Masked) -> Masked {
        let mut bytes = masked.text.clone().into_bytes();
        let len = bytes.len();
        for &(s, e) in &self.dead {
            for c in &mut bytes[s.min(e)..e.min(len)] {
                if *c != b'\n' && *c != b'\r' {
                    *c = b' ';
                }
            }
        }
        // Whole blocks of the original are ASCII after masking, and a dead range runs from
        // one tag's end to another tag's start: char boundaries of the masked text.
        let text = String::from_utf8(bytes).unwrap_or_else(|_| masked.text.clone());
        Masked { text, blocks: masked.blocks.clone() }
    }
}

/// What the control flow of a statement allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Flow {
    /// No control flow (or none wholly inside the statement): read as masked.
    Plain,
    /// The ways through it, at most [`MAX_VARIANTS`].
    Variants(Vec<Variant>),
    /// More ways through it than are analysed (the count, saturating).
    TooMany(usize),
}

/// A control-flow construct: its arms (the bytes between its tags), each with the
/// constructs nested in it.
#[derive(Debug)]
struct Construct {
    arms: Vec<Arm>,
    /// Can no arm be taken (an `if` without `else`)?
    may_skip: bool,
    /// The only way a single loop iteration takes: an arm, or none.
    single: Option<Option<usize>>,
}

#[derive(Debug)]
struct Arm {
    span: (usize, usize),
    nested: Vec<Construct>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    If,
    Elif,
    Else,
    EndIf,
    For,
    EndFor,
}

/// The control flow of the statement at `span` of `original` (whose Jinja `masked` lists).
/// Tags that do not pair up inside the statement leave it [`Flow::Plain`].
pub(crate) fn flow(original: &str, masked: &Masked, span: (usize, usize)) -> Flow {
    let tags: Vec<Tagged<'_>> = masked
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Statement && span.0 <= b.start && b.end <= span.1)
        .filter_map(|b| {
            let (t, rest) = tag(original.get(b.start + 2..b.end - 2)?)?;
            Some(Tagged { tag: t, rest, start: b.start, end: b.end })
        })
        .collect();
    if tags.is_empty() {
        return Flow::Plain;
    }
    let mut at = 0;
    let Some(top) = constructs(&tags, &mut at, false, false) else { return Flow::Plain };
    if at != tags.len() {
        return Flow::Plain;
    }
    let count = top.iter().fold(1usize, |n, c| n.saturating_mul(count(c)));
    if count > MAX_VARIANTS {
        return Flow::TooMany(count);
    }
    let mut out = vec![Variant { dead: Vec::new() }];
    for c in &top {
        out = product(out, &ways(c));
    }
    for v in &mut out {
        v.dead.sort_unstable();
    }
    Flow::Variants(out)
}

/// A control-flow tag, with what follows its keyword and its block's span.
struct Tagged<'a> {
    tag: Tag,
    rest: &'a str,
    start: usize,
    end: usize,
}

fn tag(inner: &str) -> Option<(Tag, &str)> {
    let inner = inner.trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
    let word = inner.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').next()?;
    let rest = inner[word.len()..].trim();
    let t = match word {
        "if" => Tag::If,
        "elif" => Tag::Elif,
        "else" => Tag::Else,
        "endif" => Tag::EndIf,
        "for" => Tag::For,
        "endfor" => Tag::EndFor,
        _ => return None,
    };
    Some((t, rest))
}

/// The arm (or none) an `if` on this condition takes in a loop's only iteration, which is
/// both its first and its last.
fn single_iteration(condition: &str, has_else: bool) -> Option<Option<usize>> {
    let words: Vec<&str> = condition.split_whitespace().collect();
    match words.as_slice() {
        ["loop.first" | "loop.last"] => Some(Some(0)),
        ["not", "loop.first" | "loop.last"] => Some(has_else.then_some(1)),
        _ => None,
    }
}

/// The constructs from `tags[*at]` until the tag that ends the enclosing arm (`inside` an
/// arm) or the end. `None` when the tags do not pair up.
/// `in_loop`: the arm is a loop's body (or nested in one).
fn constructs(tags: &[Tagged<'_>], at: &mut usize, inside: bool, in_loop: bool) -> Option<Vec<Construct>> {
    let mut out = Vec::new();
    while let Some(opening) = tags.get(*at) {
        let (t, end) = (opening.tag, opening.end);
        match t {
            Tag::If | Tag::For => {
                *at += 1;
                let close = if t == Tag::If { Tag::EndIf } else { Tag::EndFor };
                let mut arms = Vec::new();
                let mut arm_start = end;
                let mut has_else = false;
                loop {
                    let nested = constructs(tags, at, true, in_loop || (t == Tag::For && !has_else))?;
                    let closing = tags.get(*at)?;
                    let (next, s, e) = (closing.tag, closing.start, closing.end);
                    arms.push(Arm { span: (arm_start, s), nested });
                    *at += 1;
                    match next {
                        Tag::Elif if t == Tag::If && !has_else => {}
                        Tag::Else if !has_else => has_else = true,
                        n if n == close => break,
                        _ => return None,
                    }
                    arm_start = e;
                }
                // An `if` without `else` may render none of its arms; a loop renders its
                // body (its `else` arm is an alternative to it).
                let single = (t == Tag::If && in_loop && arms.len() <= 2)
                    .then(|| single_iteration(opening.rest, has_else))
                    .flatten();
                out.push(Construct { arms, may_skip: t == Tag::If && !has_else, single });
            }
            Tag::Elif | Tag::Else | Tag::EndIf | Tag::EndFor => {
                return inside.then_some(out);
            }
        }
    }
    (!inside).then_some(out)
}

/// How many ways through `c` there are (saturating).
fn count(c: &Construct) -> usize {
    if c.single.is_some() {
        return 1;
    }
    let arms = c.arms.iter().fold(0usize, |n, a| {
        n.saturating_add(a.nested.iter().fold(1usize, |m, c| m.saturating_mul(count(c))))
    });
    arms.saturating_add(usize::from(c.may_skip))
}

/// The ways through `c`: each arm taken (the others blanked) in each way through its nested
/// constructs, and all arms blanked when it may render none.
fn ways(c: &Construct) -> Vec<Variant> {
    if let Some(taken) = c.single {
        let dead = c.arms.iter().enumerate().filter(|(i, _)| Some(*i) != taken).map(|(_, a)| a.span);
        return vec![Variant { dead: dead.collect() }];
    }
    let mut out = Vec::new();
    for (i, arm) in c.arms.iter().enumerate() {
        let others: Vec<(usize, usize)> =
            c.arms.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, a)| a.span).collect();
        let mut inner = vec![Variant { dead: others }];
        for n in &arm.nested {
            inner = product(inner, &ways(n));
        }
        out.extend(inner);
    }
    if c.may_skip {
        out.push(Variant { dead: c.arms.iter().map(|a| a.span).collect() });
    }
    out
}

fn product(left: Vec<Variant>, right: &[Variant]) -> Vec<Variant> {
    let mut out = Vec::with_capacity(left.len() * right.len());
    for l in &left {
        for r in right {
            let mut dead = l.dead.clone();
            dead.extend_from_slice(&r.dead);
            out.push(Variant { dead });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::jinja::mask;

    fn rendered(text: &str) -> Vec<String> {
        let m = mask(text);
        match flow(text, &m, (0, text.len())) {
            Flow::Variants(vs) => {
                vs.iter().map(|v| v.mask(&m).text.split_whitespace().collect::<Vec<_>>().join(" ")).collect()
            }
            other => vec![format!("{other:?}")],
        }
    }

    #[test]
    fn each_arm_is_a_variant() {
        let t = "select {% if a %}x{% elif b %}y{% else %}z{% endif %} from t";
        assert_eq!(rendered(t), ["select x from t", "select y from t", "select z from t"]);
        assert_eq!(
            rendered("select x from t {%- if a -%} where y {%- endif %}"),
            ["select x from t where y", "select x from t"]
        );
    }

    #[test]
    fn nested_and_loops() {
        let t = "select {% for c in cs %}{{ c }}{% if not loop.last %},{% endif %}{% endfor %} from t";
        assert_eq!(rendered(t), ["select _______ from t"]);
        let t = "select {% for c in cs %}{{ c }}{% if x %},{% endif %}{% endfor %} from t";
        assert_eq!(rendered(t), ["select _______ , from t", "select _______ from t"]);
        let t = "{% if a %}select 1{% if b %}, 2{% endif %}{% else %}select 3{% endif %}";
        assert_eq!(rendered(t), ["select 1 , 2", "select 1", "select 3"]);
    }

    #[test]
    fn unpaired_tags_and_no_flow_are_plain() {
        for t in ["select 1 {% if a %} x", "select 1 {% endif %}", "select {% set x = 1 %} 1", "select 1"] {
            let m = mask(t);
            assert_eq!(flow(t, &m, (0, t.len())), Flow::Plain, "{t}");
        }
    }

    #[test]
    fn too_many_ways_are_counted() {
        let t = "select 1 ".to_string() + &"{% if a %}x{% endif %}".repeat(7);
        let m = mask(&t);
        assert_eq!(flow(&t, &m, (0, t.len())), Flow::TooMany(128));
    }
}
