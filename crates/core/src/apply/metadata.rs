//! Giving the new version of a file what the original had besides its bytes: owner and
//! group, permissions, extended attributes.

use super::observe::Observed;
use super::WriteError;
use std::fs::File;

/// Copies owner and group, then the mode (a change of owner clears set-id bits), then the
/// extended attributes (ACLs among them), from the checked original to `to`.
pub(super) fn copy(from: &Observed, to: &File) -> Result<(), WriteError> {
    #[cfg(unix)]
    owner(from, to)?;
    to.set_permissions(from.meta.permissions()).map_err(WriteError::Permissions)?;
    #[cfg(any(target_os = "linux", target_os = "android"))]
    xattrs(&from.file, to)?;
    Ok(())
}

#[cfg(unix)]
fn owner(from: &Observed, to: &File) -> Result<(), WriteError> {
    use rustix::fs::{Gid, Uid};
    use std::os::unix::fs::MetadataExt;
    let (uid, gid) = (from.meta.uid(), from.meta.gid());
    let now = to.metadata().map_err(WriteError::Write)?;
    let owner = (now.uid() != uid).then(|| Uid::from_raw(uid));
    let group = (now.gid() != gid).then(|| Gid::from_raw(gid));
    if owner.is_none() && group.is_none() {
        return Ok(());
    }
    rustix::fs::fchown(to, owner, group).map_err(|e| WriteError::Owner { uid, gid, source: e.into() })
}

/// Every attribute the original has; a filesystem without them is not an error. One the new
/// file already has with the same value (a default security label) is not set again, as
/// setting it may need a privilege.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn xattrs(from: &File, to: &File) -> Result<(), WriteError> {
    use rustix::io::Errno;
    let list =
        match read_sized(|| rustix::fs::flistxattr_query(from), |buf| rustix::fs::flistxattr(from, buf)) {
            Ok(list) => list,
            Err(Errno::NOTSUP) => return Ok(()),
            Err(e) => return Err(WriteError::Xattr { name: "list".into(), source: e.into() }),
        };
    for name in list.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let name = std::ffi::CString::new(name).expect("split at NUL");
        let failed =
            |e: Errno| WriteError::Xattr { name: name.to_string_lossy().into_owned(), source: e.into() };
        let value = match read_sized(
            || rustix::fs::fgetxattr_query(from, &*name),
            |buf| rustix::fs::fgetxattr(from, &*name, buf),
        ) {
            Ok(value) => value,
            // Removed since it was listed.
            Err(Errno::NODATA) => continue,
            Err(e) => return Err(failed(e)),
        };
        let present = read_sized(
            || rustix::fs::fgetxattr_query(to, &*name),
            |buf| rustix::fs::fgetxattr(to, &*name, buf),
        );
        if present.is_ok_and(|v| v == value) {
            continue;
        }
        rustix::fs::fsetxattr(to, &*name, &value, rustix::fs::XattrFlags::empty()).map_err(failed)?;
    }
    Ok(())
}

/// Asks for the size, then the bytes, again if they grew in between.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn read_sized(
    query: impl Fn() -> rustix::io::Result<usize>,
    get: impl Fn(&mut [u8]) -> rustix::io::Result<usize>,
) -> rustix::io::Result<Vec<u8>> {
    loop {
        let mut buf = vec![0; query()?];
        match get(&mut buf) {
            Ok(n) => {
                buf.truncate(n);
                return Ok(buf);
            }
            Err(rustix::io::Errno::RANGE) => continue,
            Err(e) => return Err(e),
        }
    }
}
