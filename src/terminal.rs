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
