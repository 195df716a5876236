//! Expressions: column references and where they stand, casts, operators and aggregates
//! with the type uses the type rules judge.

use super::*;

impl<'a> Builder<'a> {
    /// Walks an expression, recording column references and opening a scope per subquery.
    pub(super) fn expr(&mut self, node: Node<'_>, scope: ScopeId, place: Place, in_cast: bool) {
        match node.kind() {
            "field" => {
                self.field(node, scope, place, in_cast, false);
            }
            "literal" if self.token(node).starts_with('"') => {
                self.quoted_literal(node, scope, place, in_cast, false);
            }
            "literal" | "parameter" | "comment" => {}
            "all_fields" => self.claim(node),
            "invocation" if self.aggregate(node, scope, place, in_cast) => {}
            "invocation" if self.text_call(node, scope, place, in_cast) => {}
            "subquery" => {
                let in_exists = node.parent().is_some_and(|p| p.kind() == "exists");
                let first = self.query(&named_children(node), Some(scope), false);
                if let (Some(f), true) = (first, in_exists) {
                    self.m.scopes[f].in_exists = true;
                }
            }
            "invocation" => {
                for c in named_children(node) {
                    if c.kind() == "object_reference" {
                        // The function's name.
                        self.claim(c);
                        let name = self.token(c);
                        self.defer |=
                            name.eq_ignore_ascii_case("struct") || name.eq_ignore_ascii_case("identifier");
                    } else {
                        self.expr(c, scope, place, in_cast);
                    }
                }
            }
            "cast" => self.cast(node, scope, place),
            "binary_expression" | "between_expression" => self.operation(node, scope, place, in_cast),
            "term" => {
                if let Some(a) = node.child_by_field_name("alias") {
                    self.claim(a);
                }
                if let Some(v) = node.child_by_field_name("value") {
                    self.expr(v, scope, place, in_cast);
                }
            }
            "window_specification" | "partition_by" | "order_by" | "window_clause" => {
                for c in named_children(node) {
                    // Window ORDER BY and PARTITION BY name input columns.
                    let p = if place == Place::Sort { Place::Expr } else { place };
                    self.expr(c, scope, p, in_cast);
                }
            }
            kind if kind.starts_with("keyword_") => {}
            _ => {
                for c in named_children(node) {
                    self.expr(c, scope, place, in_cast);
                }
            }
        }
    }

    /// Walks `node` and returns the column reference it is, if it is exactly one.
    pub(super) fn operand(
        &mut self,
        node: Node<'_>,
        scope: ScopeId,
        place: Place,
        in_cast: bool,
    ) -> Option<usize> {
        let before = self.m.columns.len();
        self.expr(node, scope, place, in_cast);
        let is_column =
            node.kind() == "field" || (node.kind() == "literal" && self.token(node).starts_with('"'));
        (is_column && self.m.columns.len() == before + 1).then_some(before)
    }

    pub(super) fn type_use(&mut self, column: usize, kind: UseKind, node: Node<'_>) {
        self.m.type_uses.push(TypeUse { column, kind, span: span(node) });
    }

    pub(super) fn cast(&mut self, node: Node<'_>, scope: ScopeId, place: Place) {
        let kids = children(node);
        // The target type follows `AS` (CAST) or `::`.
        let target = kids
            .iter()
            .position(|k| matches!(k.kind(), "keyword_as" | "::"))
            .and_then(|i| kids.get(i + 1))
            .map(|t| self.token(*t).to_string());
        let before = self.m.columns.len();
        let mut direct = None;
        for c in named_children(node) {
            let is_type = target.is_some()
                && kids
                    .iter()
                    .position(|k| k.id() == c.id())
                    .is_some_and(|i| i > 0 && matches!(kids[i - 1].kind(), "keyword_as" | "::"));
            if is_type {
                continue;
            }
            if let Some(col) = self.operand(c, scope, place, true) {
                direct = Some(col);
            }
        }
        let Some(target) = target else { return };
        let after = self.m.columns.len();
        for col in before..after {
            let direct = direct == Some(col) && after == before + 1;
            self.type_use(col, UseKind::Cast { target: target.clone(), direct }, node);
        }
    }

    /// Comparisons with a literal, LIKE, and arithmetic operators whose operand is a column.
    pub(super) fn operation(&mut self, node: Node<'_>, scope: ScopeId, place: Place, in_cast: bool) {
        let op = node.child_by_field_name("operator");
        let op_text = op.map(|o| self.token(o).to_ascii_lowercase()).unwrap_or_default();
        let op_text = op_text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut operands: Vec<(Node<'_>, Option<usize>)> = Vec::new();
        for c in named_children(node) {
            if op.is_some_and(|o| o.id() == c.id()) {
                continue;
            }
            let col = self.operand(c, scope, place, in_cast);
            operands.push((c, col));
        }
        let literal_of = |n: Node<'_>, text: &str| -> Option<String> {
            let t = text.get(n.byte_range())?;
            match n.kind() {
                "literal" if !t.starts_with('"') => Some(t.to_string()),
                // IN (1, 2): the first literal speaks for the list.
                "list" => named_children(n)
                    .into_iter()
                    .find(|i| i.kind() == "literal")
                    .and_then(|i| text.get(i.byte_range()))
                    .filter(|t| !t.starts_with('"'))
                    .map(str::to_string),
                _ => None,
            }
        };
        let comparison = node.kind() == "between_expression"
            || matches!(op_text.as_str(), "=" | "<>" | "!=" | "<" | ">" | "<=" | ">=" | "in" | "not in");
        if comparison {
            let literal = operands.iter().find_map(|(n, c)| match c {
                None => literal_of(*n, self.text),
                Some(_) => None,
            });
            if let Some(literal) = literal {
                for col in operands.iter().filter_map(|(_, c)| *c).collect::<Vec<_>>() {
                    self.type_use(col, UseKind::Compare { literal: literal.clone() }, node);
                }
            }
        } else if op_text.ends_with("like") {
            if let Some((_, Some(col))) = operands.first() {
                self.type_use(*col, UseKind::Like, node);
            }
        } else if op_text == "||" {
            for col in operands.iter().filter_map(|(_, c)| *c).collect::<Vec<_>>() {
                self.type_use(col, UseKind::Concat, node);
            }
        } else if matches!(op_text.as_str(), "+" | "-" | "*" | "/" | "%") {
            for col in operands.iter().filter_map(|(_, c)| *c).collect::<Vec<_>>() {
                self.type_use(col, UseKind::Arithmetic { op: op_text.clone() }, node);
            }
        }
    }

    /// `SUM(c)` / `AVG(c)`: walks the call and returns true, or returns false untouched.
    pub(super) fn aggregate(&mut self, node: Node<'_>, scope: ScopeId, place: Place, in_cast: bool) -> bool {
        let kids = named_children(node);
        let func = kids
            .iter()
            .find(|k| k.kind() == "object_reference")
            .map(|f| self.token(*f).to_ascii_lowercase())
            .unwrap_or_default();
        let args: Vec<Node<'_>> = kids.iter().filter(|k| k.kind() != "object_reference").copied().collect();
        let [arg] = args[..] else { return false };
        if !matches!(func.as_str(), "sum" | "avg")
            || arg.kind() != "term"
            || arg.child_by_field_name("alias").is_some()
        {
            return false;
        }
        let Some(value) = arg.child_by_field_name("value") else { return false };
        for k in &kids {
            if k.kind() == "object_reference" {
                self.claim(*k);
            }
        }
        if let Some(col) = self.operand(value, scope, place, in_cast) {
            self.type_use(col, UseKind::Aggregate { func }, node);
        }
        true
    }

    /// `COALESCE(c, literal)` and its synonyms, `CONCAT(c, ...)`: walks the call and returns
    /// true, or returns false untouched.
    pub(super) fn text_call(&mut self, node: Node<'_>, scope: ScopeId, place: Place, in_cast: bool) -> bool {
        let kids = named_children(node);
        let func = kids
            .iter()
            .find(|k| k.kind() == "object_reference")
            .map(|f| self.token(*f).to_ascii_lowercase())
            .unwrap_or_default();
        let coalesce = matches!(func.as_str(), "coalesce" | "ifnull" | "nvl");
        if !coalesce && func != "concat" {
            return false;
        }
        let mut columns = Vec::new();
        let mut literal = None;
        for k in &kids {
            if k.kind() == "object_reference" {
                self.claim(*k);
                continue;
            }
            let value = match k.kind() {
                "term" if k.child_by_field_name("alias").is_none() => k.child_by_field_name("value"),
                _ => None,
            };
            let Some(value) = value else {
                self.expr(*k, scope, place, in_cast);
                continue;
            };
            let text = self.token(value);
            if value.kind() == "literal" && !text.starts_with('"') {
                literal.get_or_insert_with(|| text.to_string());
            }
            if let Some(col) = self.operand(value, scope, place, in_cast) {
                columns.push(col);
            }
        }
        for col in columns {
            let kind = match (&literal, coalesce) {
                (_, false) => UseKind::Concat,
                (Some(l), true) => UseKind::Coalesce { literal: l.clone() },
                (None, true) => continue,
            };
            self.type_use(col, kind, node);
        }
        true
    }
}
