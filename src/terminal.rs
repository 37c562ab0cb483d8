//! Printing to the terminal without ever failing: `eprintln!` panics when
//! stderr is closed or full (`vitrine build 2>/dev/full`, a pipe closed by
//! `| head`), and a build that succeeded must not exit as if it crashed.

/// `eprintln!` that ignores a stderr that cannot be written.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` that ignores a stderr that cannot be written.
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

/// Whether the signals that stop `build` and `serve` cleanly (SIGINT,
/// SIGTERM, SIGHUP) were left to the process. `nohup` ignores SIGHUP and a
/// shell ignores SIGINT for a background job of a script: a handler of our
/// own would stop the work its caller meant to keep running. Linux tells a
/// process which signals it ignores (`SigIgn` of `/proc/self/status`);
/// elsewhere they count as left to it.
pub(crate) fn stop_signals_left_to_us() -> bool {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return true;
    };
    !ignores_stop_signals(&status)
}

/// Whether `status` (of `/proc/PID/status`) shows SIGHUP, SIGINT or
/// SIGTERM ignored.
fn ignores_stop_signals(status: &str) -> bool {
    const STOP_SIGNALS: [u32; 3] = [1, 2, 15]; // SIGHUP, SIGINT, SIGTERM
    let ignored = status
        .lines()
        .find_map(|line| line.strip_prefix("SigIgn:"))
        .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
        .unwrap_or(0);
    STOP_SIGNALS
        .iter()
        .any(|signal| ignored & (1 << (signal - 1)) != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignored_stop_signals_are_read_from_the_mask() {
        let status =
            |mask: &str| format!("Name:\tvitrine\nSigBlk:\t0000000000000000\nSigIgn:\t{mask}\n");
        assert!(!ignores_stop_signals(&status("0000000000001000"))); // SIGPIPE only
        assert!(ignores_stop_signals(&status("0000000000000001"))); // nohup: SIGHUP
        assert!(ignores_stop_signals(&status("0000000000000002"))); // background: SIGINT
        assert!(ignores_stop_signals(&status("0000000000004000"))); // SIGTERM
        assert!(!ignores_stop_signals("Name:\tvitrine\n"));
    }
}
