#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Waiting for one fd with poll(), bounded by a deadline.
package enum Readiness: Sendable, Equatable {
    case ready(Int16)
    case timeout
    case failed(Int32)

    /// Waits until `fd` reports one of `events` (or an error/hang-up) or the deadline passes.
    /// EINTR recomputes the remaining time and waits again.
    package static func wait(_ fd: Int32, for events: Int16, until deadline: Deadline) -> Readiness {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let timeout = deadline.pollTimeout
            let rc = Platform.poll(&entry, 1, timeout)
            if rc > 0 { return .ready(entry.revents) }
            if rc == 0 {
                // poll() rounds to milliseconds; only a deadline that has really passed counts.
                if deadline.hasPassed { return .timeout }
                continue
            }
            let code = errno
            if code == EINTR { continue }
            return .failed(code)
        }
    }
}
