import RandWireSocket
import Synchronization

/// Who is being graded right now, for the live status line `grade` shows on a terminal:
/// `graded 3/40 · running 4 · queued 33 · slowest: ivan 12 s`.
package final class GradingProgress: Sendable {
    struct State {
        var done = 0
        var running: [(student: String, since: Deadline)] = []
    }

    package let total: Int
    private let state = Mutex(State())

    package init(total: Int) {
        self.total = total
    }

    func started(_ student: String) {
        state.withLock { $0.running.append((student, Deadline.now)) }
    }

    func finished(_ student: String) {
        state.withLock { state in
            if let index = state.running.firstIndex(where: { $0.student == student }) { state.running.remove(at: index) }
            state.done += 1
        }
    }

    /// One line, no newline: counts, and the student running longest with its elapsed time
    /// (the one a hanging server keeps waiting).
    package func statusLine(now: Deadline = .now) -> String {
        state.withLock { state in
            let queued = max(0, total - state.done - state.running.count)
            var line = "graded \(state.done)/\(total) · running \(state.running.count) · queued \(queued)"
            if let slowest = state.running.min(by: { $0.since < $1.since }) {
                line += " · slowest: \(slowest.student) \(Seconds.text(now - slowest.since))"
            }
            return line
        }
    }
}
