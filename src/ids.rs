//! The registry of every rule id ripple can print: the ids of each crate (see
//! [`ripple_core::ids`]) and those of the safety net this crate adds under Python and Java.

use ripple_core::{Lang, Reason, RuleId};

const UNANALYSED_EXPLANATION: &str = "The safety net runs after every other rule of its \
language and sees their output. Every line that mentions a changed name and that no rule \
rewrote, reported or judged is reported here, so ripple says what it saw and did not change: a \
string no rule tied to SQL or to an API needs a look (review); comments, docstrings, messages, \
host-language names and historical migrations are reported for information.";

/// Python lines that mention a changed name and that no rule accounted for.
pub const PYTHON_UNANALYSED_MENTION: RuleId = RuleId {
    id: "python/unanalysed-mention",
    language: Some(Lang::Python),
    reason: Reason::UntiedString,
    summary: "A mention of a changed name in Python that no rule accounted for.",
    explanation: UNANALYSED_EXPLANATION,
    example: "app/views.py:14:20: review[python/unanalysed-mention]: `user_name` in a python \
string that ripple could not tie to SQL or to a known API: check it by hand",
};

/// Java lines that mention a changed name and that no rule accounted for.
pub const JAVA_UNANALYSED_MENTION: RuleId = RuleId {
    id: "java/unanalysed-mention",
    language: Some(Lang::Java),
    reason: Reason::UntiedString,
    summary: "A mention of a changed name in Java that no rule accounted for.",
    explanation: UNANALYSED_EXPLANATION,
    example: "src/main/java/UserDao.java:30:12: info[java/unanalysed-mention]: `user_name` \
mentioned in a comment or docstring; left as written",
};

/// The ids of this crate.
pub const ALL: &[&RuleId] = &[&PYTHON_UNANALYSED_MENTION, &JAVA_UNANALYSED_MENTION];

/// Every rule id ripple can print, crate by crate.
pub fn all() -> impl Iterator<Item = &'static RuleId> {
    [ripple_core::ids::ALL, ripple_sql::ids::ALL, ripple_python::ids::ALL, ripple_java::ids::ALL, ALL]
        .into_iter()
        .flatten()
        .copied()
}

/// The registered id spelled `id`, if any.
pub fn find(id: &str) -> Option<&'static RuleId> {
    all().find(|r| r.id == id)
}
