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

/// The status for an error that stopped a command: a failure of the
/// system anywhere in its chain of causes, else a refusal.
pub fn for_error(err: &anyhow::Error) -> u8 {
    let failed =
        |cause: &(dyn std::error::Error + 'static)| match cause.downcast_ref::<StudyError>() {
            Some(e) => for_study_error(e) == FAILED,
            None => StudyError::is_system_failure(cause),
        };
    if err.chain().any(failed) {
        FAILED
    } else {
        REFUSED
    }
}

/// The status of each kind of study error. No catch-all arm: a new kind
/// is placed here on purpose.
pub fn for_study_error(err: &StudyError) -> u8 {
    match err {
        StudyError::Io { source, .. } if StudyError::is_system_failure(source) => FAILED,
        StudyError::Git(_) => FAILED,
        StudyError::Io { .. }
        | StudyError::NotAStudy(_)
        | StudyError::Invalid(_)
        | StudyError::NotUtf8 { .. }
        | StudyError::Id(_)
        | StudyError::UnknownTranscript(_)
        | StudyError::UnknownCode(_)
        | StudyError::BlindPending(_)
        | StudyError::NotApproved(_)
        | StudyError::Conflict(_)
        | StudyError::Locked { .. }
        | StudyError::NotFound(_)
        | StudyError::InvalidInput(_)
        | StudyError::Refused(_) => REFUSED,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_and_failures_are_told_apart_by_kind() {
        let locked = StudyError::Locked {
            holder: Some("pid 1 on host h, started just now".into()),
            message: "busy".into(),
        };
        assert_eq!(for_study_error(&locked), REFUSED);
        let dir = tempfile::tempdir().unwrap();
        crate::study::git::init(dir.path()).unwrap();
        let repo = crate::study::context::Repo::open(dir.path());
        let git = repo.branch_codebook("no-such-branch").unwrap_err();
        assert!(matches!(git, StudyError::Git(_)), "{git:?}");
        assert_eq!(for_study_error(&git), FAILED);
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        assert_eq!(for_study_error(&StudyError::io("f", full)), FAILED);
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(for_study_error(&StudyError::io("f", missing)), REFUSED);
        // Behind context added on the way up, the kind still decides.
        let wrapped = anyhow::Error::from(git).context("cbr sync");
        assert_eq!(for_error(&wrapped), FAILED);
        let wrapped = anyhow::Error::from(StudyError::NotApproved("no".into())).context("merge");
        assert_eq!(for_error(&wrapped), REFUSED);
    }
}
