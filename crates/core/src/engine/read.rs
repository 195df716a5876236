//! Stage 2, read and prefilter: every discovered file is read once. The text of a file is
//! kept only when a later stage needs it: the prefilter found a changed name in it (the
//! scan), it defines tables (the catalog), or a change expander reads its language.

use super::sites::{CatalogSite, PLACED_SITE};
use super::RuleSet;
use crate::change::TableName;
use crate::discover::SourcePath;
use crate::edit::Severity;
use crate::ids;
use crate::lang::Lang;
use crate::memory::MemoryFiles;
use crate::plan::PlanFinding;
use crate::prefilter::NameMatcher;
use crate::source::{looks_binary, FileStat, NotUtf8, SourceText};
use crate::table_layout::TableLayouts;
use std::path::Path;
use std::sync::Arc;

/// Files larger than this are reported, not parsed: generated dumps, not consumer code.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// What the prefilter decided about a file.
#[derive(Debug)]
pub(super) enum Admission {
    /// It mentions no watched name.
    Filtered,
    /// It mentions a watched name and is text: the rules run on it.
    Relevant(Arc<SourceText>),
    /// It could not be scanned; the finding says why.
    Skipped(PlanFinding),
}

/// What reading one file produced.
#[derive(Debug)]
pub(super) struct ReadFile {
    /// Bytes the prefilter read (0 when the file was not read).
    pub bytes: u64,
    /// The text, when the file is relevant or a later stage (the catalog, an expander)
    /// needs it.
    pub source: Option<Arc<SourceText>>,
    /// The file, for the catalog to read its sites again when its text was not kept.
    pub file: SourcePath,
    pub admission: Admission,
    /// Statements that may define tables, for the catalog.
    pub sites: Vec<CatalogSite>,
}

/// What to keep of a file besides its relevance.
pub(super) struct Wants<'a> {
    pub rules: &'a RuleSet,
    /// Index table definitions for the catalog.
    pub sites: bool,
    /// Languages a change expander reads every file of.
    pub every_file_of: &'a [Lang],
    /// The files held in memory the run reads instead of the disk.
    pub files: Option<&'a MemoryFiles>,
    /// The layouts whose files define tables by their place, and the tables the change set
    /// renames: such a file defines its table without naming it, and a rename must report
    /// the file to move.
    pub placed: Option<(&'a TableLayouts, &'a [&'a TableName])>,
}

impl Wants<'_> {
    /// Wants nothing but relevance.
    pub(super) fn nothing(rules: &RuleSet) -> Wants<'_> {
        Wants { rules, sites: false, every_file_of: &[], files: None, placed: None }
    }
}

/// Reads and prefilters one file.
pub(super) fn read_file(file: &SourcePath, names: &NameMatcher, wants: &Wants<'_>) -> ReadFile {
    let read = match wants.files {
        Some(set) => set.read(&file.path).map(Ok),
        None => read_bytes(&file.path),
    };
    let (bytes, stat) = match read {
        Ok(Ok(read)) => read,
        Ok(Err(size)) => {
            let why = format!(
                "not scanned: {size} bytes is over the {MAX_FILE_BYTES}-byte limit for a source file"
            );
            return skipped(file, skipped_file(&file.path, Severity::Review, why));
        }
        Err(e) => {
            return skipped(file, skipped_file(&file.path, Severity::Review, format!("cannot read: {e}")))
        }
    };
    let size = bytes.len() as u64;
    if let Some(text) = utf16_text(&bytes) {
        // Read for the prefilter only: ripple rewrites UTF-8, so a UTF-16 file that matters
        // is reported rather than left out without a word.
        return match names.is_relevant(text.as_bytes()) {
            true => skipped(file, utf16_file(&file.path)),
            false => ReadFile {
                bytes: size,
                source: None,
                file: file.clone(),
                admission: Admission::Filtered,
                sites: Vec::new(),
            },
        };
    }
    let mut sites = if wants.sites { index_sites(wants.rules, file, &bytes) } else { Vec::new() };
    let placed = wants.placed.and_then(|(layouts, renamed)| {
        let table = (file.lang == Lang::Sql).then(|| layouts.table_of(&file.relative, &file.path))??;
        Some((table, renamed))
    });
    if let Some((table, _)) = &placed {
        if wants.sites && wants.rules.catalog_sources().iter().any(|s| s.language() == file.lang) {
            sites.push(CatalogSite { table: table.name().value.to_lowercase(), offset: PLACED_SITE });
        }
    }
    let renamed =
        placed.is_some_and(|(table, renamed)| renamed.iter().any(|r| crate::table_layout::names(r, &table)));
    let relevant = renamed || names.is_relevant(&bytes);
    // A file that only defines tables is not kept: the catalog reads its sites again if a
    // rule asks about their tables (on a big tree such files are most of the bytes). A file
    // held in memory is kept, so that nothing reads it from disk.
    let keep = relevant || wants.every_file_of.contains(&file.lang) || wants.files.is_some();
    if !keep {
        return ReadFile {
            bytes: size,
            source: None,
            file: file.clone(),
            admission: Admission::Filtered,
            sites,
        };
    }
    let binary = looks_binary(&bytes);
    match SourceText::new(file.clone(), bytes, stat) {
        Ok(source) => {
            let source = Arc::new(source);
            let admission = if relevant { admit(&source, binary) } else { Admission::Filtered };
            ReadFile { bytes: size, source: Some(source), file: file.clone(), admission, sites }
        }
        Err(not_utf8) => {
            let admission = match relevant {
                true if binary => Admission::Skipped(binary_file(&file.path)),
                true => Admission::Skipped(invalid_utf8(&file.path, &not_utf8)),
                false => Admission::Filtered,
            };
            ReadFile { bytes: size, source: None, file: file.clone(), admission, sites }
        }
    }
}

/// Checks the files the prefilter filtered out against `wider` names (those of derived
/// changes too). The one second read of the pipeline: a filtered file whose text was not
/// kept is read again, since keeping every file's bytes for a widening that only output
/// name propagation causes would cost more memory than the read costs time.
pub(super) fn widen(files: &[SourcePath], read: &mut [ReadFile], wider: &NameMatcher, rules: &RuleSet) {
    use rayon::prelude::*;
    files.par_iter().zip(read.par_iter_mut()).for_each(|(file, r)| {
        if !matches!(r.admission, Admission::Filtered) {
            return;
        }
        match &r.source {
            Some(source) if wider.is_relevant(source.bytes()) => {
                r.admission = admit(source, looks_binary(source.bytes()));
            }
            Some(_) => {}
            None => {
                let again = read_file(file, wider, &Wants::nothing(rules));
                if !matches!(again.admission, Admission::Filtered) {
                    r.admission = again.admission;
                    r.source = again.source;
                }
            }
        }
    });
}

/// A relevant text file is scanned unless it looks binary.
fn admit(source: &Arc<SourceText>, binary: bool) -> Admission {
    if binary {
        Admission::Skipped(binary_file(source.path()))
    } else {
        Admission::Relevant(Arc::clone(source))
    }
}

fn skipped(file: &SourcePath, finding: PlanFinding) -> ReadFile {
    ReadFile {
        bytes: 0,
        source: None,
        file: file.clone(),
        admission: Admission::Skipped(finding),
        sites: Vec::new(),
    }
}

/// A file's bytes and stat, or its size when it is over [`MAX_FILE_BYTES`]: one open, one
/// stat.
fn read_bytes(path: &Path) -> std::io::Result<Result<(Vec<u8>, FileStat), u64>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > MAX_FILE_BYTES {
        return Ok(Err(len));
    }
    let mut bytes = Vec::with_capacity(len as usize + 1);
    file.read_to_end(&mut bytes)?;
    let stat = FileStat { len: bytes.len() as u64 };
    Ok(Ok((bytes, stat)))
}

/// The statements of a file that may define tables, from the catalog sources of its language.
fn index_sites(rules: &RuleSet, file: &SourcePath, bytes: &[u8]) -> Vec<CatalogSite> {
    rules
        .catalog_sources()
        .iter()
        .filter(|s| s.language() == file.lang)
        .flat_map(|s| s.index(file, bytes))
        .collect()
}

fn skipped_file(path: &Path, severity: Severity, message: String) -> PlanFinding {
    PlanFinding {
        path: path.to_path_buf(),
        line: 0,
        column: 0,
        rule: ids::SKIPPED_FILE.id.into(),
        change: None,
        severity,
        reason: ids::SKIPPED_FILE.reason,
        message,
    }
}

fn binary_file(path: &Path) -> PlanFinding {
    skipped_file(path, Severity::Info, "not scanned: binary content that mentions a changed name".into())
}

/// The text of a file that starts with a UTF-16 byte order mark, decoded (lossily).
fn utf16_text(bytes: &[u8]) -> Option<String> {
    let unit: fn([u8; 2]) -> u16 = match bytes {
        [0xFF, 0xFE, ..] => u16::from_le_bytes,
        [0xFE, 0xFF, ..] => u16::from_be_bytes,
        _ => return None,
    };
    let units = bytes[2..].chunks(2).map(|c| unit([c[0], *c.get(1).unwrap_or(&0)]));
    Some(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect())
}

fn utf16_file(path: &Path) -> PlanFinding {
    let why = "not scanned: UTF-16 text that mentions a changed name; ripple reads and rewrites UTF-8 only: convert the file or check it by hand";
    skipped_file(path, Severity::Review, why.into())
}

fn invalid_utf8(path: &Path, NotUtf8 { bytes, at }: &NotUtf8) -> PlanFinding {
    let at = *at;
    let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
    let why = format!("not scanned: invalid UTF-8 at byte {at}, and the file mentions a changed name");
    PlanFinding { line, column: 1, ..skipped_file(path, Severity::Review, why) }
}
