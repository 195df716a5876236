//! Java's comments (`//`, `/* */`, javadoc) found without a parse: strings, text blocks and
//! character literals are skipped so that a `//` inside one opens nothing. An unterminated
//! literal or comment and the pass gives up, so the file is parsed.

use ripple_core::host::{Prose, ProseKind};

/// The comments of a Java text, or `None` when it cannot be lexed with certainty.
pub fn prose(text: &str) -> Option<Vec<Prose>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match (b[i], b.get(i + 1)) {
            (b'/', Some(b'/')) => {
                let end = b[i..].iter().position(|&x| x == b'\n').map_or(b.len(), |p| i + p);
                out.push(Prose { start: i, end, kind: ProseKind::Comment });
                i = end;
            }
            (b'/', Some(b'*')) => {
                let close = b[i + 2..].windows(2).position(|w| w == b"*/")?;
                let end = i + 2 + close + 2;
                out.push(Prose { start: i, end, kind: ProseKind::Comment });
                i = end;
            }
            (b'"', _) if b[i..].starts_with(b"\"\"\"") => i = literal_end(b, i + 3, b"\"\"\"", true)?,
            (b'"', _) => i = literal_end(b, i + 1, b"\"", false)?,
            (b'\'', _) => i = literal_end(b, i + 1, b"'", false)?,
            _ => i += 1,
        }
    }
    Some(out)
}

/// One past the `close` that ends a literal whose content starts at `from`; a backslash
/// escapes the byte after it. Only a text block may span lines.
fn literal_end(b: &[u8], from: usize, close: &[u8], multiline: bool) -> Option<usize> {
    let mut j = from;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'\n' if !multiline => return None,
            _ if b[j..].starts_with(close) => return Some(j + close.len()),
            _ => j += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_outside_literals() {
        let src = "/** users */\nclass A { // user_name\n  String s = \"// no\"; char c = '\"'; /* a */\n  String t = \"\"\"\n    /* no */ \\\"\"\" \"\"\";\n}\n";
        let found: Vec<&str> = prose(src).unwrap().iter().map(|p| &src[p.start..p.end]).collect();
        assert_eq!(found, ["/** users */", "// user_name", "/* a */"]);
    }

    #[test]
    fn gives_up_when_unsure() {
        for src in ["/* never closed", "String s = \"open\n\";", "char c = '\n';", "String t = \"\"\"\nopen"]
        {
            assert_eq!(prose(src), None, "{src:?}");
        }
    }
}
