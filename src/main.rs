fn main() -> std::process::ExitCode {
    // Piping into `head` must end quietly, as other Unix tools do, rather
    // than panic on a closed stdout: restore the default SIGPIPE action.
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    codebook_review::cli::main()
}
