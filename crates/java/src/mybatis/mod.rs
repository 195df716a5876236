//! MyBatis XML mappers as a ripple host. A mapper is read with an XML reader ([`xml`]);
//! each statement becomes a SQL region with an exact byte map ([`render`], [`mapper`]),
//! analysed by the embedded-SQL driver like a Java string; `<resultMap>` columns follow the
//! queries that fill them, and every other mention is placed by what the XML says it is
//! ([`follow`]). There is no tree-sitter grammar for XML here: the syntax queries of the
//! [`Host`] trait answer for a file with no tree, and declarative rules do not run on it.

pub(crate) mod follow;
mod mapper;
mod render;
mod xml;

use ripple_core::host::{quoted_content, Evidence, SqlString, StringContent};
use ripple_core::region::EscapeError;
use ripple_core::{Edit, Host, Lang, RuleContext, RuleOutput, Severity, SourceFile, SqlStrings};
use tree_sitter::Node;

/// The MyBatis mapper host.
pub struct MyBatis;

impl Host for MyBatis {
    fn lang(&self) -> Lang {
        Lang::MyBatis
    }

    fn is_string(&self, _node: Node<'_>) -> bool {
        false
    }

    fn string_content<'t>(&self, literal: &'t str) -> Option<StringContent<'t>> {
        quoted_content(literal, 0)
    }

    fn is_text_literal(&self, _node: Node<'_>) -> bool {
        false
    }

    fn callee(&self, _node: Node<'_>, _src: &str) -> Option<String> {
        None
    }

    fn annotation_name(&self, _node: Node<'_>, _src: &str) -> Option<String> {
        None
    }

    fn sql_strings<'f>(&self, file: &'f SourceFile<'_>, _ctx: &RuleContext<'_>) -> Box<dyn SqlStrings + 'f> {
        Box::new(MapperSql::read(file))
    }
}

/// The SQL units of one mapper file.
pub(crate) struct MapperSql<'f, 's> {
    file: &'f SourceFile<'s>,
    units: Vec<mapper::Unit>,
    follow: follow::Follow,
    error: Option<xml::XmlError>,
}

impl<'f, 's> MapperSql<'f, 's> {
    fn read(file: &'f SourceFile<'s>) -> Self {
        match xml::parse(file.text) {
            Ok(doc) => {
                let m = mapper::read(&doc.root, file.text);
                let follow = follow::Follow::new(&doc.root, &m, doc.comments);
                MapperSql { file, units: m.units, follow, error: None }
            }
            Err(e) => {
                MapperSql { file, units: Vec::new(), follow: follow::Follow::default(), error: Some(e) }
            }
        }
    }
}

impl SqlStrings for MapperSql<'_, '_> {
    fn len(&self) -> usize {
        self.units.len()
    }

    fn get(&self, index: usize) -> SqlString<'_> {
        let u = &self.units[index];
        SqlString {
            region: &u.region,
            span: u.span,
            judged: &u.judged,
            evidence: Evidence::Context,
            dialect: None,
        }
    }

    /// New SQL text goes between tags or inside CDATA as it is: markup characters are refused.
    fn escape(&self, _index: usize, new: &str) -> Result<String, EscapeError> {
        if new.contains(['<', '&']) || new.contains("]]>") {
            return Err(EscapeError(format!("`{new}` would need XML escaping")));
        }
        Ok(new.to_string())
    }

    fn analysed(
        &mut self,
        index: usize,
        edits: &[Edit],
        mapped: &RuleOutput,
        _ctx: &RuleContext<'_>,
    ) -> RuleOutput {
        self.follow.analysed(index, edits, mapped);
        RuleOutput::default()
    }

    fn finish(self: Box<Self>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        if let Some(e) = &self.error {
            if !self.file.mentions(ctx.names).is_empty() {
                let at = e.at.min(self.file.text.len());
                out.finding_for(
                    ripple_core::Reason::Unparsed,
                    (at, at),
                    crate::ids::MYBATIS_EMBEDDED_SQL.id,
                    None,
                    Severity::Review,
                    format!(
                        "this mapper is not well-formed XML ({}); its SQL was not read: check it by hand",
                        e.message
                    ),
                );
                // The finding stands for every mention of the file.
                out.seen.push((0, self.file.text.len()));
            }
            return;
        }
        self.follow.finish(self.file, &self.units, ctx, out);
        // A fragment or statement analysed once per alternative reports once.
        let mut unique = std::collections::HashSet::new();
        out.findings.retain(|f| unique.insert((f.start, f.end, f.rule.clone(), f.message.clone())));
    }
}
