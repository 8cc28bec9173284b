#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RandWireSocket
import Synchronization

/// The last bytes a stream carried, and how many it carried in all.
package struct OutputTail: Sendable, Hashable {
    package var bytes: [UInt8] = []
    package var total = 0

    package init() {}

    mutating func append(_ chunk: ArraySlice<UInt8>, limit: Int) {
        total += chunk.count
        bytes.append(contentsOf: chunk)
        if bytes.count > limit { bytes.removeFirst(bytes.count - limit) }
    }

    /// The last `count` lines, decoded leniently.
    package func lastLines(_ count: Int) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return Array(lines.suffix(count))
    }
}

/// Drains a child's stdout and stderr pipes on one dedicated thread, keeping only the last
/// `limit` bytes of each, so a student server that floods its output can neither block on a
/// full pipe nor fill the grader's memory.
final class OutputCapture: Sendable {
    private final class Shared: Sendable {
        struct State {
            var out = OutputTail()
            var err = OutputTail()
            var finished = false
            var stopRequested = false
        }

        let state = Mutex(State())
        let limit: Int
        init(limit: Int) { self.limit = limit }
    }

    private let shared: Shared
    private let thread: NativeThread?

    /// Takes ownership of the two read ends.
    init(standardOutput: Int32, standardError: Int32, limit: Int = 16 * 1024) {
        let shared = Shared(limit: limit)
        self.shared = shared
        thread = NativeThread.spawn(name: "randwire-output") {
            Self.drain(fds: [standardOutput, standardError], into: shared)
        }
        if thread == nil {
            // No thread: never read, but never leak the descriptors either.
            close(standardOutput)
            close(standardError)
            shared.state.withLock { $0.finished = true }
        }
    }

    /// Stops reading once both pipes are at EOF, or at `grace` from now (a grandchild that left
    /// the process group can hold them open forever), then closes them.
    func finish(grace: Duration) {
        let deadline = Deadline.after(grace)
        while !shared.state.withLock({ $0.finished }) && !deadline.hasPassed {
            usleep(5_000)
        }
        shared.state.withLock { $0.stopRequested = true }
        thread?.join()
    }

    var standardOutput: OutputTail { shared.state.withLock { $0.out } }
    var standardError: OutputTail { shared.state.withLock { $0.err } }

    private static func drain(fds: [Int32], into shared: Shared) {
        var open = fds
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while !open.isEmpty && !shared.state.withLock({ $0.stopRequested }) {
            var polls = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&polls, nfds_t(polls.count), 50)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            for entry in polls where entry.revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    let chunk = buffer[0..<count]
                    shared.state.withLock { state in
                        if entry.fd == fds[0] {
                            state.out.append(chunk, limit: shared.limit)
                        } else {
                            state.err.append(chunk, limit: shared.limit)
                        }
                    }
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(entry.fd)
                    open.removeAll { $0 == entry.fd }
                }
            }
        }
        for fd in open { close(fd) }
        shared.state.withLock { $0.finished = true }
    }
}
