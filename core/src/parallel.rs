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
