//! Stage timing for speed work, off by default: with the environment variable `AKSLINT_TIMING`
//! set (to anything but empty or `0`), a run prints one line per stage on stderr, with the
//! stage's wall time and the process's peak RSS so far (Linux), such as
//! `akslint: timing: per-file stage 4.21 s (peak RSS 812 MB)`. Nothing is printed without it,
//! and nothing of a file's text ever is.

use std::sync::OnceLock;
use std::time::Instant;

/// The environment variable that turns stage timing on.
pub const TIMING_VARIABLE: &str = "AKSLINT_TIMING";

/// Whether stage timing is on (read once per process).
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| {
        std::env::var_os(TIMING_VARIABLE).is_some_and(|value| !value.is_empty() && value != "0")
    })
}

/// Times consecutive stages: each [`Stages::lap`] prints the time since the previous one (or
/// since [`Stages::start`]). Does nothing when timing is off.
#[derive(Debug)]
pub struct Stages {
    /// When the stage being timed began; `None` when timing is off.
    since: Option<Instant>,
}

impl Stages {
    /// Starts timing the first stage.
    pub fn start() -> Stages {
        Stages {
            since: enabled().then(Instant::now),
        }
    }

    /// Ends the stage named `stage`, prints its line, and starts the next.
    pub fn lap(&mut self, stage: &str) {
        let Some(since) = self.since else {
            return;
        };
        let seconds = since.elapsed().as_secs_f64();
        let peak = peak_rss_mb().map_or_else(String::new, |mb| format!(" (peak RSS {mb} MB)"));
        eprintln!("akslint: timing: {stage} {seconds:.2} s{peak}");
        self.since = Some(Instant::now());
    }
}

/// The process's peak resident set so far, in MB (`VmHWM` of `/proc/self/status`), where the
/// system tells it.
fn peak_rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peak_rss_is_read_where_the_system_tells_it() {
        let peak = peak_rss_mb();
        if cfg!(target_os = "linux") {
            assert!(peak.is_some_and(|mb| mb > 0), "{peak:?}");
        }
    }
}
