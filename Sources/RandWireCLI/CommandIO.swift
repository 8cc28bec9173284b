import RandWireSocket
import Synchronization

/// Where a command writes. The real CLI writes to the process's stdout/stderr; tests capture.
package struct CommandIO: Sendable {
    package var out: @Sendable (String) -> Void
    package var err: @Sendable (String) -> Void
    /// Whether stdout/stderr is a terminal (colour, live progress).
    package var stdoutIsTerminal: Bool
    package var stderrIsTerminal: Bool
    package var environment: [String: String]

    package init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void,
                stdoutIsTerminal: Bool = false, stderrIsTerminal: Bool = false, environment: [String: String] = [:]) {
        self.out = out
        self.err = err
        self.stdoutIsTerminal = stdoutIsTerminal
        self.stderrIsTerminal = stderrIsTerminal
        self.environment = environment
    }

    /// The process's own streams; stdout is flushed after every write so scripts see lines at once.
    package static var process: CommandIO {
        CommandIO(
            out: { Platform.writeAndFlush($0, to: Platform.standardOutput) },
            err: { Platform.writeAndFlush($0, to: Platform.standardError) },
            stdoutIsTerminal: Platform.isTerminal(Platform.standardOutput),
            stderrIsTerminal: Platform.isTerminal(Platform.standardError),
            environment: Platform.environment())
    }

    /// A live, rewritten progress line only on a terminal that can rewrite one (not `TERM=dumb`).
    package var showsLiveProgress: Bool { stderrIsTerminal && environment["TERM"] != "dumb" }

    /// Colour only on a terminal, and never with NO_COLOR set (https://no-color.org).
    package var useColor: Bool { stdoutIsTerminal && environment["NO_COLOR"].map(\.isEmpty) ?? true }

    /// Collects output in memory, for tests.
    package final class Capture: Sendable {
        private let state = Mutex<(out: String, err: String)>(("", ""))
        package init() {}
        package var out: String { state.withLock { $0.out } }
        package var err: String { state.withLock { $0.err } }
        package var io: CommandIO {
            CommandIO(out: { text in self.state.withLock { $0.out += text } },
                      err: { text in self.state.withLock { $0.err += text } })
        }
    }
}

/// Exit codes: the command contract graders script against (sysexits.h names).
package enum ExitCode {
    package static let success: Int32 = 0
    package static let failure: Int32 = 1
    package static let usage: Int32 = 64
    package static let dataError: Int32 = 65
    package static let unavailable: Int32 = 69
    package static let software: Int32 = 70
    package static let ioError: Int32 = 74
}

/// A runtime error for people: one line saying what went wrong and what to do.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    let exitCode: Int32

    init(_ description: String, exitCode: Int32 = ExitCode.failure) {
        self.description = description
        self.exitCode = exitCode
    }
}
