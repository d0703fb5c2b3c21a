//! Two pieces of work at once on the machine's two cores.

/// Runs `elsewhere` on a second thread while `here` runs on this one, and
/// returns both results. A panic on the second thread goes on here.
pub(crate) fn both<A: Send, B>(
    elsewhere: impl FnOnce() -> A + Send,
    here: impl FnOnce() -> B,
) -> (A, B) {
    std::thread::scope(|scope| {
        let other = scope.spawn(elsewhere);
        let mine = here();
        let theirs = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (theirs, mine)
    })
}

/// Work started on a second thread by [`start`]; [`Later::wait`] gives its
/// result.
pub(crate) struct Later<T>(std::thread::JoinHandle<T>);

/// Starts `work` on a second thread and returns at once, so that this one
/// can go on with what needs this thread (the store). Work whose result is
/// never waited for runs to its end and is dropped.
pub(crate) fn start<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Later<T> {
    Later(std::thread::spawn(work))
}

impl<T> Later<T> {
    /// The work's result; a panic there goes on here.
    pub(crate) fn wait(self) -> T {
        self.0
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}
