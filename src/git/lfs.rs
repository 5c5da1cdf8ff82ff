//! Git LFS pointer files: small text blobs that stand for a large object stored elsewhere.

/// A parsed LFS pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LfsPointer {
    /// `sha256:<hex>` of the real object.
    pub oid: String,
    /// Size in bytes of the real object.
    pub size: u64,
}

/// Pointers are at most a few hundred bytes; anything larger is not one.
pub const MAX_POINTER_SIZE: usize = 1024;

/// Parses `bytes` as an LFS pointer (spec v1), or returns `None`.
pub fn parse_pointer(bytes: &[u8]) -> Option<LfsPointer> {
    if bytes.len() > MAX_POINTER_SIZE {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let mut lines = text.lines();
    let version = lines.next()?;
    if !version.starts_with("version https://git-lfs.github.com/spec/")
        && !version.starts_with("version https://hawser.github.com/spec/")
    {
        return None;
    }
    let (mut oid, mut size) = (None, None);
    for line in lines {
        if let Some(v) = line.strip_prefix("oid ") {
            oid = Some(v.trim().to_string());
        } else if let Some(v) = line.strip_prefix("size ") {
            size = v.trim().parse().ok();
        }
    }
    Some(LfsPointer { oid: oid?, size: size? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_pointer_and_rejects_text() {
        let p = parse_pointer(b"version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n").unwrap();
        assert_eq!(p.size, 12345);
        assert!(p.oid.starts_with("sha256:4d7a"));
        assert!(parse_pointer(b"MIT License\n").is_none());
        assert!(parse_pointer(b"version https://git-lfs.github.com/spec/v1\nsize 3\n").is_none());
    }
}
