#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
import RandWireSocket
import Synchronization

/// One status line at the bottom of a terminal, rewritten in place, with ordinary lines
/// printed above it. Only used when `CommandIO.showsLiveProgress`; it writes no colour, so
/// `NO_COLOR` needs nothing more from it.
final class LiveStatusLine: Sendable {
    private let io: CommandIO
    private let current = Mutex("")

    init(io: CommandIO) {
        self.io = io
    }

    static let clear = "\r\u{1B}[K"

    /// Replaces the status line.
    func update(_ status: String) {
        current.withLock { current in
            current = status
            io.err(Self.clear + status)
        }
    }

    /// Prints a finished line above the status line, then redraws the status.
    func print(_ line: String) {
        current.withLock { current in io.err(Self.clear + line + "\n" + current) }
    }

    /// Clears the status line for good.
    func finish() {
        current.withLock { current in
            if !current.isEmpty { io.err(Self.clear) }
            current = ""
        }
    }

    /// Calls `status` every `interval` and shows its line until the returned stop is called.
    func tick(every interval: TimeInterval = 0.5, _ status: @escaping @Sendable () -> String) -> @Sendable () -> Void {
        let stop = DispatchSemaphore(value: 0)
        let stopped = DispatchSemaphore(value: 0)
        guard let thread = NativeThread.spawn(name: "rw-status", { [self] in
            repeat { update(status()) } while stop.wait(timeout: .now() + interval) == .timedOut
            stopped.signal()
        }) else {
            return { [self] in finish() }  // no thread to be had: no live line, nothing to stop
        }
        thread.detach()
        return { [self] in
            stop.signal()
            stopped.wait()
            finish()
        }
    }
}
