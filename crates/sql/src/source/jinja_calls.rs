//! Calls inside a Jinja block, read as data: `dbt_utils.star(from=ref('m'), except=['a'])`
//! is a call of `dbt_utils.star` whose arguments are a call of `ref` and a list of one
//! string. Only what is written as a literal is a value; anything computed is `Other`.

/// A value passed to a Jinja call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    /// A string literal without escapes: its content and the content's byte span.
    Str(String, (usize, usize)),
    /// A list literal `[...]` of values, and the span of its brackets.
    List(Vec<Value>, (usize, usize)),
    /// A call.
    Call(Call),
    /// Anything else (a variable, an expression, a filter).
    Other,
}

/// One argument: `value` or `key=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Arg {
    pub key: Option<String>,
    pub value: Value,
}

/// A call `name(args)`, `name` dotted as written (`dbt_utils.star`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Call {
    pub name: String,
    /// From the name's first byte to one past the closing `)`.
    pub span: (usize, usize),
    pub args: Vec<Arg>,
}

impl Call {
    /// The argument at `position` (counting positional arguments) or named `keyword`.
    pub(crate) fn arg(&self, position: Option<usize>, keyword: Option<&str>) -> Option<&Value> {
        if let Some(k) = keyword {
            if let Some(a) = self.args.iter().find(|a| a.key.as_deref() == Some(k)) {
                return Some(&a.value);
            }
        }
        let p = position?;
        self.args.iter().take_while(|a| a.key.is_none()).nth(p).map(|a| &a.value)
    }

    /// The positional arguments from `position` on.
    pub(crate) fn rest(&self, position: usize) -> impl Iterator<Item = &Value> {
        self.args.iter().take_while(|a| a.key.is_none()).skip(position).map(|a| &a.value)
    }
}

/// Every call in `text[from..to]` (the inside of one Jinja block), nested calls included,
/// in the order they start.
pub(crate) fn calls(text: &str, from: usize, to: usize) -> Vec<Call> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    names(text, from, to, |start, _| {
        let name_end = dotted_end(b, start, to);
        let (call, _) = call_at(text, start, name_end, to)?;
        out.push(call);
        // Nested calls are found by reading on inside the parentheses.
        Some(skip_ws(b, name_end, to) + 1)
    });
    out
}

/// Walks the names that start in `text[from..to]` outside string literals (not the parts
/// after a dot), handing `take` each name's start and the end of its first word; `take`
/// answers where to read on when it takes the name, `None` to read on after the word.
pub(crate) fn names(text: &str, from: usize, to: usize, mut take: impl FnMut(usize, usize) -> Option<usize>) {
    let b = text.as_bytes();
    let mut i = from;
    while i < to {
        let c = b[i];
        if c == b'\'' || c == b'"' {
            i = string(text, i, to).map_or(to, |(_, _, end)| end);
            continue;
        }
        let starts =
            is_ident(c) && !c.is_ascii_digit() && (i == from || !(is_ident(b[i - 1]) || b[i - 1] == b'.'));
        if !starts {
            i += 1;
            continue;
        }
        let word_end = (i..to).find(|&j| !is_ident(b[j])).unwrap_or(to);
        i = take(i, word_end).unwrap_or(word_end);
    }
}

/// The call whose name is `text[start..name_end]`, if a `(` follows and it closes in range.
fn call_at(text: &str, start: usize, name_end: usize, to: usize) -> Option<(Call, usize)> {
    let b = text.as_bytes();
    let open = skip_ws(b, name_end, to);
    if open >= to || b[open] != b'(' {
        return None;
    }
    let (args, end) = arguments(text, open + 1, to)?;
    let name: String = text[start..name_end].chars().filter(|c| !c.is_whitespace()).collect();
    Some((Call { name, span: (start, end), args }, end))
}

/// The arguments after `(` at `i`, and the offset after the closing `)`.
fn arguments(text: &str, i: usize, to: usize) -> Option<(Vec<Arg>, usize)> {
    arguments_with(text, i, to, |key, i| {
        let (value, end) = value(text, i, to)?;
        Some((Arg { key, value }, end))
    })
}

/// The arguments after `(` at `i`, each read by `read` from its `key=` (if any) and the
/// offset its value starts at into an argument and the offset after it; and the offset
/// after the closing `)`. `None` if the call does not close in range or an argument is not
/// followed by `,` or `)`.
pub(crate) fn arguments_with<A>(
    text: &str,
    mut i: usize,
    to: usize,
    mut read: impl FnMut(Option<String>, usize) -> Option<(A, usize)>,
) -> Option<(Vec<A>, usize)> {
    let b = text.as_bytes();
    let mut args = Vec::new();
    loop {
        i = skip_ws(b, i, to);
        if i >= to {
            return None;
        }
        if b[i] == b')' {
            return Some((args, i + 1));
        }
        let mut key = None;
        let word_end = (i..to).find(|&j| !is_ident(b[j])).unwrap_or(to);
        let after = skip_ws(b, word_end, to);
        if word_end > i && after < to && b[after] == b'=' && b.get(after + 1) != Some(&b'=') {
            key = Some(text[i..word_end].to_string());
            i = skip_ws(b, after + 1, to);
        }
        let (arg, end) = read(key, i)?;
        args.push(arg);
        i = skip_ws(b, end, to);
        match b.get(i) {
            Some(b',') if i < to => i += 1,
            Some(b')') if i < to => return Some((args, i + 1)),
            _ => return None,
        }
    }
}

/// The value written exactly as `text[from..to]` (surrounding whitespace aside), if it is
/// one value.
pub(crate) fn value_in(text: &str, from: usize, to: usize) -> Option<Value> {
    let b = text.as_bytes();
    let (v, end) = value(text, skip_ws(b, from, to), to)?;
    (skip_ws(b, end, to) == to).then_some(v)
}

/// The value at `i` and the offset after it (before the `,` or closer that ends it).
fn value(text: &str, i: usize, to: usize) -> Option<(Value, usize)> {
    let b = text.as_bytes();
    let (v, end) = match b.get(i)? {
        b'\'' | b'"' => match string(text, i, to) {
            Some((s, start, end)) => (Value::Str(s.to_string(), (start, start + s.len())), end),
            None => (Value::Other, i),
        },
        b'[' => list(text, i, to)?,
        c if is_ident(*c) && !c.is_ascii_digit() => {
            let name_end = dotted_end(b, i, to);
            match call_at(text, i, name_end, to) {
                Some((call, end)) => (Value::Call(call), end),
                None => (Value::Other, name_end),
            }
        }
        _ => (Value::Other, i),
    };
    // A value followed by anything but its end (`~ x`, `| upper`, `.keys()`) is computed.
    let next = skip_ws(b, end, to);
    if (next == to || matches!(b[next], b',' | b')' | b']')) && !matches!(v, Value::Other) {
        return Some((v, end));
    }
    Some((Value::Other, value_end(b, end, to, b",)]").unwrap_or(to)))
}

fn list(text: &str, open: usize, to: usize) -> Option<(Value, usize)> {
    let b = text.as_bytes();
    let mut items = Vec::new();
    let mut i = open + 1;
    loop {
        i = skip_ws(b, i, to);
        if i >= to {
            return None;
        }
        if b[i] == b']' {
            return Some((Value::List(items, (open, i + 1)), i + 1));
        }
        let (v, end) = value(text, i, to)?;
        items.push(v);
        i = skip_ws(b, end, to);
        match b.get(i) {
            Some(b',') if i < to => i += 1,
            Some(b']') if i < to => {}
            _ => return None,
        }
    }
}

/// A string literal at `i` with no escapes: its content, the content's start, and the offset
/// after the closing quote.
pub(crate) fn string(text: &str, i: usize, to: usize) -> Option<(&str, usize, usize)> {
    let b = text.as_bytes();
    let q = *b.get(i)?;
    if q != b'\'' && q != b'"' {
        return None;
    }
    let close = (i + 1..to).find(|&j| b[j] == q || b[j] == b'\\')?;
    (b[close] == q).then(|| (&text[i + 1..close], i + 1, close + 1))
}

/// The end of a computed value: the next of `stops` (`,`, `)`, and `]` in a list) at depth 0.
pub(crate) fn value_end(b: &[u8], mut i: usize, to: usize, stops: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    while i < to {
        match b[i] {
            b'\'' | b'"' => {
                let q = b[i];
                i += 1;
                while i < to && b[i] != q {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth > 0 => depth -= 1,
            c if depth == 0 && stops.contains(&c) => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The end of a dotted name starting at `i` (`a.b.c`).
fn dotted_end(b: &[u8], mut i: usize, to: usize) -> usize {
    loop {
        while i < to && is_ident(b[i]) {
            i += 1;
        }
        if i + 1 < to && b[i] == b'.' && is_ident(b[i + 1]) {
            i += 1;
            continue;
        }
        return i;
    }
}

pub(crate) fn skip_ws(b: &[u8], mut i: usize, to: usize) -> usize {
    while i < to && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strs(v: &Value) -> Vec<&str> {
        match v {
            Value::Str(s, _) => vec![s.as_str()],
            Value::List(items, _) => items.iter().flat_map(strs).collect(),
            _ => vec![],
        }
    }

    #[test]
    fn calls_with_lists_keywords_and_nesting() {
        let t = "{{ dbt_utils.star(from=ref('stg_users'), except=['user_name', \"email\"]) }}";
        let cs = calls(t, 2, t.len() - 2);
        assert_eq!(cs.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["dbt_utils.star", "ref"]);
        let star = &cs[0];
        assert!(matches!(star.arg(Some(0), Some("from")), Some(Value::Call(c)) if c.name == "ref"));
        let except = star.arg(Some(2), Some("except")).unwrap();
        assert_eq!(strs(except), ["user_name", "email"]);
        let Value::List(items, _) = except else { panic!() };
        let Value::Str(_, span) = &items[0] else { panic!() };
        assert_eq!(&t[span.0..span.1], "user_name");
    }

    #[test]
    fn computed_values_are_other() {
        let t = "k(['a'] + x, 'b' ~ y, c | upper, 'd', v=z)";
        let c = &calls(t, 0, t.len())[0];
        let kinds: Vec<bool> = c.args.iter().map(|a| matches!(a.value, Value::Other)).collect();
        assert_eq!(kinds, [true, true, true, false, true]);
        assert_eq!(c.rest(3).flat_map(strs).collect::<Vec<_>>(), ["d"]);
    }

    #[test]
    fn unclosed_calls_are_skipped() {
        assert!(calls("f('a'", 0, 5).is_empty());
        assert!(calls("'f(1)'", 0, 6).is_empty());
    }
}
