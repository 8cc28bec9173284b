#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The last bytes a stream carried, and how many it carried in all.
package struct OutputTail: Sendable, Hashable {
    package var bytes: [UInt8] = []
    package var total = 0

    package init() {}

    /// How many bytes fell out of the front of `bytes`.
    var dropped: Int { total - bytes.count }

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

    /// The kept bytes, decoded leniently.
    package var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Drains a child's stdout and stderr pipes on one dedicated thread, keeping only the last
/// `limit` bytes of each, and hands out stdout line by line.
package final class ChildOutput: Sendable {
    package enum Stream: Sendable { case standardOutput, standardError }
    package enum LineResult: Sendable, Equatable { case line(String), endOfFile, timedOut }

    private struct State {
        var out = OutputTail()
        var err = OutputTail()
        var outEnded = false
        var errEnded = false
        /// Stream offset (counted over everything stdout carried) of the next unread line.
        var lineStart = 0
        var stopRequested = false
    }

    /// What the reader thread shares with us (it never holds the `ChildOutput` itself).
    private final class Shared: Sendable {
        let state = Mutex(State())
    }

    private let shared: Shared
    private let thread: NativeThread?

    /// Takes ownership of the two read ends.
    init(standardOutput: Int32, standardError: Int32, limit: Int) {
        let shared = Shared()
        self.shared = shared
        thread = NativeThread.spawn(name: "randwire-output") {
            Self.drain(fds: [standardOutput, standardError], into: shared, limit: limit)
        }
        if thread == nil {
            // No thread: never read, but never leak the descriptors either.
            close(standardOutput)
            close(standardError)
            shared.state.withLock { $0 = State(outEnded: true, errEnded: true) }
        }
    }

    /// Stops reading once both pipes are at EOF, or at `grace` from now (a grandchild that left
    /// the process group can hold them open forever), then closes them. Unread stdout lines
    /// can still be read; after them comes `.endOfFile`.
    func finish(grace: Duration) {
        _ = waitForEnd(deadline: .after(grace))
        shared.state.withLock { $0.stopRequested = true }
        thread?.join()
    }

    /// Asks the reader to stop soon, without waiting for it.
    func abandon() {
        shared.state.withLock { $0.stopRequested = true }
        thread?.detach()
    }

    func tail(_ stream: Stream) -> OutputTail {
        shared.state.withLock { stream == .standardOutput ? $0.out : $0.err }
    }

    func waitForEnd(deadline: Deadline) -> Bool {
        while true {
            if shared.state.withLock({ $0.outEnded && $0.errEnded }) { return true }
            if deadline.hasPassed { return false }
            usleep(2_000)
        }
    }

    func nextLine(deadline: Deadline) -> LineResult {
        while true {
            if let result = shared.state.withLock({ Self.takeLine(&$0) }) { return result }
            if deadline.hasPassed { return .timedOut }
            usleep(2_000)
        }
    }

    private static func takeLine(_ state: inout State) -> LineResult? {
        let kept = state.out
        state.lineStart = max(state.lineStart, kept.dropped)
        let start = state.lineStart - kept.dropped
        if let newline = kept.bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            var line = kept.bytes[start..<newline]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            state.lineStart = kept.dropped + newline + 1
            return .line(String(decoding: line, as: UTF8.self))
        }
        guard state.outEnded else { return nil }
        guard start < kept.bytes.count else { return .endOfFile }
        state.lineStart = kept.total
        return .line(String(decoding: kept.bytes[start...], as: UTF8.self))
    }

    private static func drain(fds: [Int32], into shared: Shared, limit: Int) {
        var open = fds
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        func ended(_ fd: Int32) {
            close(fd)
            open.removeAll { $0 == fd }
            shared.state.withLock { if fd == fds[0] { $0.outEnded = true } else { $0.errEnded = true } }
        }
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
                            state.out.append(chunk, limit: limit)
                        } else {
                            state.err.append(chunk, limit: limit)
                        }
                    }
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    ended(entry.fd)
                }
            }
        }
        for fd in open { close(fd) }
        shared.state.withLock {
            $0.outEnded = true
            $0.errEnded = true
        }
    }
}
