//! Until a language has rules of its own, every mention of a changed name in its files is
//! reported for review: ripple says what it saw and did not change.

use ripple_core::{Lang, Rule, RuleContext, RuleOutput, Severity, SourceFile};

pub struct UnanalysedMentions {
    lang: Lang,
    id: String,
}

impl UnanalysedMentions {
    pub fn new(lang: Lang) -> Self {
        UnanalysedMentions { lang, id: format!("{}/unanalysed-mention", lang.name()) }
    }
}

impl Rule for UnanalysedMentions {
    fn id(&self) -> &str {
        &self.id
    }

    fn language(&self) -> Lang {
        self.lang
    }

    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        for m in ctx.names.mentions(file.text) {
            let word = &file.text[m.start..m.end];
            // Name every change the word belongs to, so the reviewer knows what to check.
            let changes: Vec<usize> = ctx
                .changes
                .iter()
                .filter(|(_, c)| {
                    c.table().name().value.eq_ignore_ascii_case(word)
                        || c.column().is_some_and(|col| col.value.eq_ignore_ascii_case(word))
                })
                .map(|(i, _)| i)
                .collect();
            let what: Vec<String> = changes.iter().map(|i| ctx.changes.changes[*i].to_string()).collect();
            out.finding(
                (m.start, m.end),
                &self.id,
                changes.first().copied(),
                Severity::Review,
                format!(
                    "`{word}` is mentioned here ({}); ripple does not analyse {} code yet, so check it by hand",
                    what.join("; "),
                    self.lang.name()
                ),
            );
        }
    }
}
