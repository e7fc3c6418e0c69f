//! The one path by which the command line prints: every line goes through
//! `model::text::inert_lines`, so escape sequences from study files show as
//! `^[` instead of acting on the terminal (docs/safety.md).

/// `println!` for the CLI: study text (code names, file names, memos,
/// messages quoting them) may hold escape sequences, so every line printed
/// goes through `model::text::inert_lines` and shows controls as `^[`.
/// Only coloured diff lines, painted by `diff::Palette` (which makes its
/// text inert itself), and JSON (`print_json`) are printed otherwise.
macro_rules! outln {
    () => { println!() };
    ($($arg:tt)*) => {
        println!("{}", $crate::model::text::inert_lines(&format!($($arg)*)))
    };
}

/// `print!` through the same path as [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => {
        print!("{}", $crate::model::text::inert_lines(&format!($($arg)*)))
    };
}

/// `eprintln!` through the same path as [`outln!`].
macro_rules! errln {
    () => { eprintln!() };
    ($($arg:tt)*) => {
        eprintln!("{}", $crate::model::text::inert_lines(&format!($($arg)*)))
    };
}
