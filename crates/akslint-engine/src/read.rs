//! Bounded reads: every byte akslint reads (files, stdin, `akslint.yaml`, baselines) is read up
//! to a limit, so `/dev/zero` or a 50 MB pipe costs at most the limit, never memory without end.

use std::fmt;
use std::io::Read;
use std::path::Path;

/// Why bytes were not read.
#[derive(Debug)]
pub enum ReadError {
    /// The input is larger than the limit.
    TooLarge {
        /// Its size when known beforehand (a file's metadata); `None` for a stream, which is
        /// known only to hold more than the limit.
        size: Option<u64>,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The path names a FIFO, socket or device, which akslint never opens (reading one can block
    /// for ever or never end).
    NotRegular,
    /// The operating system's error.
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::TooLarge {
                size: Some(size),
                limit,
            } => write!(f, "it is {size} bytes, over the limit of {limit} bytes"),
            ReadError::TooLarge { size: None, limit } => {
                write!(f, "it is larger than the limit of {limit} bytes")
            }
            ReadError::NotRegular => f.write_str("not a regular file (a FIFO, socket or device)"),
            ReadError::Io(err) => err.fmt(f),
        }
    }
}

/// Reads a regular file of at most `limit` bytes. The size is checked before reading and the
/// read itself stops past the limit (a file that grows, or a `/proc` file whose size reads 0).
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let metadata = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !metadata.is_file() {
        return Err(ReadError::NotRegular);
    }
    if metadata.len() > limit {
        return Err(ReadError::TooLarge {
            size: Some(metadata.len()),
            limit,
        });
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    // Room for the size read: one read, and no copy as the buffer grows nor when the text is
    // boxed (a file that grew meanwhile still reads, up to the limit).
    let room = usize::try_from(metadata.len()).unwrap_or(0);
    read_into(file, limit, Vec::with_capacity(room))
}

/// Reads a stream of at most `limit` bytes.
pub fn read_stream(stream: impl Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_into(stream, limit, Vec::new())
}

/// Reads a stream of at most `limit` bytes into `bytes` (empty, maybe with room reserved).
fn read_into(stream: impl Read, limit: u64, mut bytes: Vec<u8>) -> Result<Vec<u8>, ReadError> {
    stream
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { size: None, limit });
    }
    Ok(bytes)
}

/// Reads a regular file of at most `limit` bytes as UTF-8 text.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read_file(path, limit)?;
    String::from_utf8(bytes).map_err(|err| {
        ReadError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "not UTF-8 text (an invalid byte at offset {})",
                err.utf8_error().valid_up_to()
            ),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_longer_than_the_limit_is_refused_after_reading_one_byte_past_it() {
        let endless = std::io::repeat(b'a');
        let err = read_stream(endless, 1000).unwrap_err();
        assert!(matches!(
            err,
            ReadError::TooLarge {
                size: None,
                limit: 1000
            }
        ));
        assert_eq!(err.to_string(), "it is larger than the limit of 1000 bytes");
        assert_eq!(read_stream(&b"abc"[..], 3).unwrap(), b"abc");
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_never_opened() {
        let err = read_file(Path::new("/dev/zero"), 1000).unwrap_err();
        assert!(matches!(err, ReadError::NotRegular), "{err}");
    }

    #[test]
    fn a_file_over_the_limit_says_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.yaml");
        std::fs::write(&path, "x".repeat(20)).unwrap();
        let err = read_file(&path, 10).unwrap_err();
        assert_eq!(
            err.to_string(),
            "it is 20 bytes, over the limit of 10 bytes"
        );
        assert_eq!(read_text(&path, 20).unwrap(), "x".repeat(20));
    }
}
