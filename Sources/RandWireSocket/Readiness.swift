import CRandWireSystem

/// Waiting for one fd with poll(), bounded by a deadline.
package enum Readiness: Sendable, Equatable {
    case ready(Int16)
    case timeout
    case failed(Errno)

    /// Waits until `fd` reports one of `events` (or an error/hang-up) or the deadline passes.
    /// EINTR recomputes the remaining time and waits again.
    package static func wait(_ fd: Int32, for events: Int16, until deadline: Deadline) -> Readiness {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let timeout = deadline.pollTimeout
            switch Syscall.poll(&entry, count: 1, timeout: timeout) {
            case let .success(ready) where ready > 0: return .ready(entry.revents)
            case .success:
                // poll() rounds to milliseconds; only a deadline that has really passed counts.
                if deadline.hasPassed { return .timeout }
            case .failure(.interrupted): continue
            case let .failure(code): return .failed(code)
            }
        }
    }
}
