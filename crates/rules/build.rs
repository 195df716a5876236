//! Embeds the workspace's `rules/` tree (rule files, type maps, fixtures) in the library, so
//! the binary carries its built-in rules and `ripple rules test` can run their fixtures.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, root, out);
        } else if path.is_file() {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            out.push((rel, path));
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest.join("../../rules");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    let mut code = String::from("/// Every file under `rules/`: (path relative to it, contents).\n");
    code.push_str("pub static FILES: &[(&str, &str)] = &[\n");
    for (rel, path) in &files {
        // Only text files can be embedded as &str; fixtures are source text by design.
        if std::fs::read_to_string(path).is_err() {
            continue;
        }
        let abs = path.canonicalize().unwrap_or_else(|_| path.clone());
        let _ = writeln!(code, "    ({rel:?}, include_str!({:?})),", abs.to_string_lossy());
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("embedded.rs");
    if let Err(e) = std::fs::write(&out, code) {
        panic!("cannot write {}: {e}", out.display());
    }
}
