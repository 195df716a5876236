fn main() {
    let text = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    let mut p = tree_sitter::Parser::new();
    p.set_language(&tree_sitter_sql::LANGUAGE.into()).unwrap();
    let t = p.parse(&text, None).unwrap();
    dump(t.root_node(), &text, 0, None);
}
fn dump(n: tree_sitter::Node, text: &str, d: usize, field: Option<&str>) {
    let s = &text[n.byte_range()];
    let s = if s.len() > 40 { &s[..40] } else { s };
    println!("{}{}{} {:?}", "  ".repeat(d), field.map(|f| format!("{f}: ")).unwrap_or_default(), n.kind(), s);
    let mut c = n.walk();
    for (i, k) in n.children(&mut c).enumerate() {
        dump(k, text, d + 1, n.field_name_for_child(i as u32));
    }
}
