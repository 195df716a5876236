//! A source file as the engine read it: once, into one value that every later stage (the
//! catalog, change expanders, rules, the plan and apply) uses instead of reading it again.

use crate::discover::SourcePath;
use std::path::Path;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// What the engine knew of a file on disk when it read it; apply compares it with the file
/// as it is then to detect changes made since.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FileStat {
    /// The file's length in bytes.
    pub len: u64,
}

/// Bytes that are not UTF-8, given back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotUtf8 {
    /// The bytes, as read.
    pub bytes: Vec<u8>,
    /// The offset of the first byte that is not UTF-8.
    pub at: usize,
}

/// A file's text, read once: valid UTF-8 from its first byte (a byte-order mark, if any,
/// is kept as on disk and left out of [`SourceText::text`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceText {
    /// Where the file is and how to name it.
    pub file: SourcePath,
    /// As on disk.
    content: String,
    /// Length of the byte-order mark `content` starts with (0 or 3).
    bom: usize,
    /// As read.
    pub stat: FileStat,
}

impl SourceText {
    /// The text of `bytes` read from `file`, or the bytes back when they are not UTF-8.
    pub fn new(file: SourcePath, bytes: Vec<u8>, stat: FileStat) -> Result<Self, NotUtf8> {
        match String::from_utf8(bytes) {
            Ok(content) => {
                let bom = if content.as_bytes().starts_with(UTF8_BOM) { UTF8_BOM.len() } else { 0 };
                Ok(SourceText { file, content, bom, stat })
            }
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                Err(NotUtf8 { bytes: e.into_bytes(), at })
            }
        }
    }

    /// A text that was never on disk (tests, generated input).
    pub fn from_text(file: SourcePath, content: impl Into<String>) -> Self {
        let content: String = content.into();
        let stat = FileStat { len: content.len() as u64 };
        Self::new(file, content.into_bytes(), stat).expect("a String is UTF-8")
    }

    /// The path as reported.
    pub fn path(&self) -> &Path {
        &self.file.path
    }

    /// The text rules see: the file after any byte-order mark.
    pub fn text(&self) -> &str {
        &self.content[self.bom..]
    }

    /// The whole file as on disk, byte-order mark included.
    pub fn file_text(&self) -> &str {
        &self.content
    }

    /// The whole file as on disk.
    pub fn bytes(&self) -> &[u8] {
        self.content.as_bytes()
    }

    /// The byte-order mark the file starts with (empty when none): offsets in
    /// [`SourceText::text`] are this much short of offsets in the file.
    pub fn bom(&self) -> &[u8] {
        &self.bytes()[..self.bom]
    }
}

/// Does the start of a file look binary (a NUL byte in its first 8 KiB)?
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8192)].contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    fn file() -> SourcePath {
        SourcePath { path: "a.sql".into(), relative: "a.sql".into(), lang: Lang::Sql }
    }

    #[test]
    fn the_bom_is_kept_on_disk_and_left_out_of_the_text() {
        let s = SourceText::from_text(file(), "\u{FEFF}select 1");
        assert_eq!(s.text(), "select 1");
        assert_eq!(s.bom(), UTF8_BOM);
        assert_eq!(s.file_text().len(), s.text().len() + 3);
        assert_eq!(SourceText::from_text(file(), "x").bom(), b"");
    }

    #[test]
    fn invalid_utf8_gives_the_bytes_back_with_the_offset() {
        let bytes = b"ok \xFF".to_vec();
        let err = SourceText::new(file(), bytes.clone(), FileStat::default()).expect_err("not UTF-8");
        assert_eq!(err, NotUtf8 { bytes, at: 3 });
        assert!(looks_binary(b"a\0b") && !looks_binary(b"ab"));
    }
}
