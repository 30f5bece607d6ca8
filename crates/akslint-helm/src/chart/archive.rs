//! Charts packed as Helm packs them (`helm package`): a gzip-compressed tar whose entries are
//! `<chart>/Chart.yaml`, `<chart>/templates/…`, read in memory with the first folder removed.

use std::io::Read;

use flate2::read::GzDecoder;

/// Most bytes read out of one archive (its files, uncompressed).
const MAX_ARCHIVE_BYTES: u64 = 64 * 1024 * 1024;

/// The regular files of a packed chart: their paths under the chart's folder and their bytes,
/// at most `budget` files (the budget shrinks by what is read). A path that leaves the chart
/// (`..`, an absolute path) is skipped.
pub(super) fn read(bytes: &[u8], budget: &mut usize) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut archive = tar::Archive::new(GzDecoder::new(bytes));
    let entries = archive
        .entries()
        .map_err(|e| format!("not a packed chart (gzip tar): {e}"))?;
    let mut files = Vec::new();
    let mut total: u64 = 0;
    for entry in entries {
        let mut entry = entry.map_err(|e| format!("not a packed chart (gzip tar): {e}"))?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let Ok(path) = entry.path() else {
            continue;
        };
        let path = path.to_string_lossy().replace('\\', "/");
        let mut parts = path.split('/').filter(|p| !p.is_empty() && *p != ".");
        // The chart's own folder, as `helm package` writes it.
        parts.next();
        let parts: Vec<&str> = parts.collect();
        if parts.is_empty() || parts.contains(&"..") || path.starts_with('/') {
            continue;
        }
        if *budget == 0 {
            break;
        }
        *budget -= 1;
        total += entry.size();
        if total > MAX_ARCHIVE_BYTES {
            return Err(format!(
                "the packed chart holds more than {} MiB",
                MAX_ARCHIVE_BYTES / 1024 / 1024
            ));
        }
        let mut content = Vec::new();
        entry
            .read_to_end(&mut content)
            .map_err(|e| format!("the packed chart cannot be read: {e}"))?;
        files.push((parts.join("/"), content));
    }
    Ok(files)
}
