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

/// Where CSV output goes. Into a file or a pipe the bytes pass untouched,
/// so a cell keeps its exact text for the spreadsheet; on a terminal, where
/// an escape sequence in a cell would act, the output is collected and
/// shown through `inert_lines` like every other line.
pub enum CsvOut {
    Raw(std::io::StdoutLock<'static>),
    Terminal(Vec<u8>),
}

/// CSV to standard output, safe for a terminal (see [`CsvOut`]).
pub fn csv_stdout() -> CsvOut {
    use std::io::IsTerminal;
    let stdout = std::io::stdout();
    if stdout.is_terminal() {
        CsvOut::Terminal(Vec::new())
    } else {
        CsvOut::Raw(stdout.lock())
    }
}

impl std::io::Write for CsvOut {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            CsvOut::Raw(out) => out.write(buf),
            CsvOut::Terminal(held) => {
                held.extend_from_slice(buf);
                Ok(buf.len())
            }
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            CsvOut::Raw(out) => out.flush(),
            CsvOut::Terminal(held) => {
                // Whole rows only reach here (csv flushes at the end), so
                // a character is never cut between two writes.
                let text = String::from_utf8_lossy(held).into_owned();
                held.clear();
                let mut out = std::io::stdout().lock();
                out.write_all(crate::model::text::inert_lines(&text).as_bytes())?;
                out.flush()
            }
        }
    }
}

impl Drop for CsvOut {
    fn drop(&mut self) {
        let _ = std::io::Write::flush(self);
    }
}
