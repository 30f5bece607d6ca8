//! Stage timing for speed work, off by default: with the environment variable `AKSLINT_TIMING`
//! set (to anything but empty or `0`), a run prints one line per stage on stderr, with the
//! stage's wall time, and where the system tells them (Linux) the CPU time the process's
//! threads spent in it together and the process's peak RSS so far, such as
//! `akslint: timing: per-file stage 4.21 s (CPU 7.90 s, peak RSS 812 MB)`: on a loaded machine
//! the CPU time is the figure that compares. Nothing is printed without it, and nothing of a
//! file's text ever is.

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
    /// The process's CPU time when it began, where the system tells it.
    cpu_since: Option<f64>,
}

impl Stages {
    /// Starts timing the first stage.
    pub fn start() -> Stages {
        let since = enabled().then(Instant::now);
        Stages {
            cpu_since: since.and(cpu_seconds()),
            since,
        }
    }

    /// Ends the stage named `stage`, prints its line, and starts the next.
    pub fn lap(&mut self, stage: &str) {
        let Some(since) = self.since else {
            return;
        };
        let seconds = since.elapsed().as_secs_f64();
        let cpu_now = cpu_seconds();
        let cpu = match (self.cpu_since, cpu_now) {
            (Some(before), Some(now)) => Some(format!("CPU {:.2} s", now - before)),
            _ => None,
        };
        let peak = peak_rss_mb().map(|mb| format!("peak RSS {mb} MB"));
        let measures: Vec<String> = cpu.into_iter().chain(peak).collect();
        let measures = if measures.is_empty() {
            String::new()
        } else {
            format!(" ({})", measures.join(", "))
        };
        eprintln!("akslint: timing: {stage} {seconds:.2} s{measures}");
        self.since = Some(Instant::now());
        self.cpu_since = cpu_now;
    }
}

/// The CPU time (user and system) of all the process's threads so far, in seconds: fields 14
/// and 15 of `/proc/self/stat`, in the kernel's user-visible clock ticks (100 a second on
/// Linux), where the system tells it.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which ends at the last `)`: the state is field 3.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |field: usize| fields.get(field - 3)?.parse::<u64>().ok();
    Some((ticks(14)? + ticks(15)?) as f64 / 100.0)
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

    #[test]
    fn the_cpu_time_is_read_where_the_system_tells_it_and_grows_with_work() {
        let read = cpu_seconds();
        if cfg!(target_os = "linux") {
            assert!(read.is_some(), "Linux tells the CPU time");
        }
        let Some(before) = read else { return };
        // Work on this thread until the count moves by a tick (10 ms of CPU), for at most
        // 10 s of wall time however loaded the machine is.
        let start = Instant::now();
        let mut spin = 0u64;
        let mut after = before;
        while after <= before && start.elapsed().as_secs() < 10 {
            for _ in 0..100_000 {
                spin = std::hint::black_box(spin.wrapping_add(1));
            }
            after = cpu_seconds().expect("read again");
        }
        assert!(after > before, "{before} -> {after}");
    }
}
