import Synchronization

/// Owns one fd shared between threads. Operations borrow it; `close` from any thread shuts the
/// socket down at once (waking a borrower blocked in poll) but releases the fd number only
/// after the last borrower returns, so the number cannot be reused under a running call.
package final class GuardedDescriptor: Sendable {
    private struct State {
        var fd: Int32
        var borrowers = 0
        var closing = false
        var lingerZero = false
    }

    private let state: Mutex<State>

    package init(_ fd: Int32) { state = Mutex(State(fd: fd)) }

    deinit {
        state.withLock { state in
            if state.fd >= 0 { Platform.closeDescriptor(state.fd) }
        }
    }

    /// Runs `body` with the fd, or returns nil when the descriptor is closed or closing.
    @inline(__always)
    package func borrow<T>(_ body: (Int32) -> T) -> T? {
        let fd: Int32 = state.withLock { state in
            guard !state.closing else { return -1 }
            state.borrowers += 1
            return state.fd
        }
        guard fd >= 0 else { return nil }
        defer { giveBack() }
        return body(fd)
    }

    private func giveBack() {
        let toClose: Int32 = state.withLock { state in
            state.borrowers -= 1
            guard state.closing, state.borrowers == 0, state.fd >= 0 else { return -1 }
            let fd = state.fd
            state.fd = -1
            return fd
        }
        if toClose >= 0 { Platform.closeDescriptor(toClose) }
    }

    package var isClosed: Bool { state.withLock { $0.closing } }

    /// Closes the fd (now, or when the last borrower returns). `abort` sends RST instead of FIN;
    /// `shutdownFirst` shuts the socket down before closing (listeners: wakes other pollers).
    /// Idempotent.
    package func close(abort: Bool = false, shutdownFirst: Bool = false) {
        let toClose: Int32 = state.withLock { state in
            guard !state.closing, state.fd >= 0 else { return -1 }
            state.closing = true
            if abort { Platform.setLingerZero(state.fd) }
            if state.borrowers == 0 {
                if shutdownFirst && !abort { _ = Syscall.shutdown(state.fd, Platform.shutBoth) }
                let fd = state.fd
                state.fd = -1
                return fd
            }
            // A borrower may be blocked in poll(): shutdown wakes it (close would not). Done under
            // the lock, so the borrower cannot close the fd (and the number be reused) meanwhile.
            _ = Syscall.shutdown(state.fd, Platform.shutBoth)
            return -1
        }
        if toClose >= 0 { Platform.closeDescriptor(toClose) }
    }
}
