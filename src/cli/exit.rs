//! Exit statuses, in one place: every command returns one of these, the
//! `--help` text and the manual list them, and a test holds them to it.

use std::process::ExitCode;

use crate::study::StudyError;

/// The command did what was asked.
pub const OK: u8 = 0;
/// The command ran, and found something that needs attention: problems in
/// `cbr check`, conflicts in `cbr suggest merge`, work a sync could not send.
pub const ATTENTION: u8 = 1;
/// Nothing was done: the command line was wrong (clap's own status), or cbr
/// refused (not a study, unknown id, blind coding, a lock held, bad input).
pub const REFUSED: u8 = 2;
/// Nothing was done because the system failed underneath: a file or git
/// operation that should have worked did not (disk full, permissions, a
/// damaged repository). Often worth retrying once the cause is fixed.
pub const FAILED: u8 = 3;

/// The help text's account of the statuses above, shown by `cbr --help` and
/// in the manual. A macro so `cli::Cli` can join it to its other help text
/// at compile time.
macro_rules! exit_status_help {
    () => {
        "\
Exit status:
  0  the command did what was asked
  1  it ran and found something that needs attention (problems, conflicts, work not sent)
  2  nothing was done: wrong command line, or cbr refused (it says why and what to do)
  3  nothing was done: a file or git operation failed underneath (disk, permissions, repository)"
    };
}

pub fn code(status: u8) -> ExitCode {
    ExitCode::from(status)
}

/// The status for an error that stopped a command.
pub fn for_error(err: &anyhow::Error) -> u8 {
    if err.chain().any(StudyError::is_system_failure) {
        FAILED
    } else {
        REFUSED
    }
}
