import Foundation

#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a child process could not be started or did not answer in time.
package enum ManagedProcessError: Error, Sendable, CustomStringConvertible {
    case executableNotFound(String)
    case launchFailed(String, String)
    case timedOut(String)

    package var description: String {
        switch self {
        case .executableNotFound(let name): "executable '\(name)' not found on PATH"
        case .launchFailed(let path, let reason): "could not start '\(path)': \(reason)"
        case .timedOut(let what): "timed out: \(what)"
        }
    }
}

/// A child process for tests, wrapping `Foundation.Process` with pipes on stdin, stdout and
/// stderr. Dedicated threads drain stdout and stderr continuously, so the child never blocks on
/// a full pipe whatever the test reads.
///
/// `readLine(timeout:)`, `waitForExit(timeout:)` and `terminate()` **block the calling thread**
/// (bounded by their timeouts). Calling them from a `@Test` function for short waits is fine; do
/// not call them in a loop from many concurrent tasks, since that starves the cooperative pool.
///
/// The child is always ended: `terminate()` runs from `deinit` too (so dropping the last
/// reference can block for up to a few seconds; prefer calling `terminate()` explicitly).
/// The first `start` sets SIGPIPE to SIG_IGN for the whole test process, so writing to a dead
/// child gives EPIPE instead of killing the runner; children inherit that disposition.
package final class ManagedProcess: @unchecked Sendable {
    private let process: Process
    private let state: OutputState
    private let standardInput: FileHandle
    private let stdinLock = NSLock()
    private var stdinClosed = false

    /// The child's process ID.
    package let processIdentifier: Int32

    private init(process: Process, state: OutputState, standardInput: FileHandle) {
        self.process = process
        self.state = state
        self.standardInput = standardInput
        self.processIdentifier = process.processIdentifier
    }

    deinit {
        terminate()
    }

    /// Starts `executable` (a path, or a name looked up on `PATH`) with `arguments`.
    /// `environment` is added to, and overrides, the inherited environment.
    package static func start(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil
    ) throws -> ManagedProcess {
        _ = ignoreBrokenPipes
        guard let path = findExecutable(executable) else {
            throw ManagedProcessError.executableNotFound(executable)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors

        let state = OutputState()
        // Set before run(): the handler fires once Foundation has reaped the child.
        process.terminationHandler = { finished in
            let signalled = finished.terminationReason == .uncaughtSignal
            state.markExited(signalled ? 128 + finished.terminationStatus : finished.terminationStatus)
        }
        do {
            try runWithDefaultSignalMask(process)
        } catch {
            throw ManagedProcessError.launchFailed(path, "\(error)")
        }
        // Foundation has closed the parent's copies of the child's pipe ends, so EOF arrives when
        // the child (and anything it spawned) exits.
        drain(output.fileHandleForReading, into: .standardOutput, of: state)
        drain(errors.fileHandleForReading, into: .standardError, of: state)
        return ManagedProcess(process: process, state: state, standardInput: input.fileHandleForWriting)
    }

    /// The next line of the child's stdout, without its LF (and CR). At EOF the unterminated rest,
    /// if any, is the last line and then `nil` follows. Throws `ManagedProcessError.timedOut` if no
    /// complete line arrives within `timeout`. Blocks the calling thread.
    package func readLine(timeout: Duration) throws -> String? {
        let result = state.nextLine(deadline: Date(timeIntervalSinceNow: timeout.timeInterval))
        switch result {
        case .line(let line): return line
        case .endOfFile: return nil
        case .timedOut:
            throw ManagedProcessError.timedOut("no stdout line from pid \(processIdentifier) within \(timeout)")
        }
    }

    /// Writes `text` as UTF-8 to the child's stdin. Ignored once stdin is closed or the child has
    /// exited (SIGPIPE is ignored process-wide, so this never kills the test runner). May block
    /// if the child does not read and the pipe (64 KiB) is full.
    package func write(_ text: String) {
        stdinLock.lock()
        defer { stdinLock.unlock() }
        guard !stdinClosed else { return }
        let descriptor = standardInput.fileDescriptor
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { raw in
                systemWrite(descriptor, raw.baseAddress, raw.count)
            }
            if written > 0 {
                bytes = bytes.dropFirst(written)
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return  // EPIPE: the child is gone or closed its stdin
            }
        }
    }

    /// Closes the child's stdin so it reads EOF. Idempotent.
    package func closeStandardInput() {
        stdinLock.lock()
        defer { stdinLock.unlock() }
        guard !stdinClosed else { return }
        stdinClosed = true
        try? standardInput.close()
    }

    /// Ends the child: SIGTERM, then SIGKILL if it is still alive after 1 s, and waits until it
    /// is reaped. Idempotent; also called from `deinit`. Blocks the calling thread (≤ about 6 s).
    package func terminate() {
        closeStandardInput()
        guard state.exitStatus == nil else { return }
        kill(processIdentifier, SIGTERM)
        if state.waitForExit(deadline: Date(timeIntervalSinceNow: 1)) { return }
        kill(processIdentifier, SIGKILL)
        _ = state.waitForExit(deadline: Date(timeIntervalSinceNow: 5))
    }

    /// Waits until the child has exited and its stdout and stderr are drained, at most `timeout`.
    /// Returns the exit code (128 + signal number when a signal killed it), or `nil` if it is
    /// still running. Blocks the calling thread.
    package func waitForExit(timeout: Duration) -> Int32? {
        let deadline = Date(timeIntervalSinceNow: timeout.timeInterval)
        guard state.waitForExit(deadline: deadline) else { return nil }
        // A grandchild could keep the pipes open; the exit code is known either way.
        _ = state.waitForEndOfOutput(deadline: deadline)
        return state.exitStatus
    }

    /// The exit code once the child has exited (see `waitForExit`), else `nil`. Never blocks.
    package var exitCode: Int32? { state.exitStatus }

    /// Everything the child wrote to stderr so far.
    package var standardError: String { state.text(of: .standardError) }

    /// Everything the child wrote to stdout so far, including lines already returned by `readLine`.
    package var allStandardOutput: String { state.text(of: .standardOutput) }

    /// `name` itself when it contains a '/', else the first executable file called `name` on `PATH`.
    package static func findExecutable(_ name: String) -> String? {
        if name.contains("/") {
            return FileManager.default.isExecutableFile(atPath: name) ? name : nil
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Writing to the stdin of a child that has exited must give EPIPE, not kill the test runner.
    private static let ignoreBrokenPipes: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()

    /// posix_spawn gives the child the spawning thread's signal mask, and Dispatch and
    /// Swift-concurrency threads block nearly every signal: a child spawned from one ignores
    /// SIGTERM. So the spawn happens on a fresh thread that unblocks everything first.
    /// (Ignored signals, such as SIGPIPE here, are still inherited across exec.)
    private static func runWithDefaultSignalMask(_ process: Process) throws {
        final class Outcome: @unchecked Sendable {
            var error: (any Error)?
            let done = DispatchSemaphore(value: 0)
        }
        let outcome = Outcome()
        Thread.detachNewThread {
            var nothing = sigset_t()
            sigemptyset(&nothing)
            pthread_sigmask(SIG_SETMASK, &nothing, nil)
            do {
                try process.run()
            } catch {
                outcome.error = error
            }
            outcome.done.signal()
        }
        outcome.done.wait()
        if let error = outcome.error { throw error }
    }

    /// Reads `handle` on a dedicated thread (never the cooperative pool) until EOF.
    private static func drain(_ handle: FileHandle, into stream: OutputState.Stream, of state: OutputState) {
        Thread.detachNewThread {
            let descriptor = handle.fileDescriptor
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { raw in
                    systemRead(descriptor, raw.baseAddress, raw.count)
                }
                if count > 0 {
                    state.append(buffer[0..<count], to: stream)
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            try? handle.close()
            state.markEndOfFile(stream)
        }
    }
}

private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(descriptor, buffer, count)
    #else
    Darwin.read(descriptor, buffer, count)
    #endif
}

private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, buffer, count)
    #else
    Darwin.write(descriptor, buffer, count)
    #endif
}

extension Duration {
    /// The duration in seconds, for Foundation's `Date`-based waits.
    var timeInterval: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }
}

/// Output and exit state shared between the reader threads, the termination handler and callers.
/// Every field is guarded by `condition`, which is broadcast on every change.
private final class OutputState: @unchecked Sendable {
    enum Stream { case standardOutput, standardError }
    enum LineResult { case line(String), endOfFile, timedOut }

    private let condition = NSCondition()
    private var output: [UInt8] = []
    private var errors: [UInt8] = []
    /// Offset in `output` of the first byte `nextLine` has not returned yet.
    private var lineStart = 0
    private var outputEnded = false
    private var errorsEnded = false
    private var status: Int32?

    var exitStatus: Int32? {
        condition.lock()
        defer { condition.unlock() }
        return status
    }

    func append(_ bytes: ArraySlice<UInt8>, to stream: Stream) {
        condition.lock()
        switch stream {
        case .standardOutput: output.append(contentsOf: bytes)
        case .standardError: errors.append(contentsOf: bytes)
        }
        condition.broadcast()
        condition.unlock()
    }

    func markEndOfFile(_ stream: Stream) {
        condition.lock()
        switch stream {
        case .standardOutput: outputEnded = true
        case .standardError: errorsEnded = true
        }
        condition.broadcast()
        condition.unlock()
    }

    func markExited(_ code: Int32) {
        condition.lock()
        status = code
        condition.broadcast()
        condition.unlock()
    }

    func text(of stream: Stream) -> String {
        condition.lock()
        defer { condition.unlock() }
        return String(decoding: stream == .standardOutput ? output : errors, as: UTF8.self)
    }

    func nextLine(deadline: Date) -> LineResult {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let newline = output[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
                var line = output[lineStart..<newline]
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                lineStart = newline + 1
                return .line(String(decoding: line, as: UTF8.self))
            }
            if outputEnded {
                guard lineStart < output.count else { return .endOfFile }
                let rest = output[lineStart...]
                lineStart = output.count
                return .line(String(decoding: rest, as: UTF8.self))
            }
            if !condition.wait(until: deadline) && Date() >= deadline { return .timedOut }
        }
    }

    /// True once the child has been reaped; false if `deadline` passed first.
    func waitForExit(deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while status == nil {
            if !condition.wait(until: deadline) && Date() >= deadline { return status != nil }
        }
        return true
    }

    func waitForEndOfOutput(deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !(outputEnded && errorsEnded) {
            if !condition.wait(until: deadline) && Date() >= deadline { return outputEnded && errorsEnded }
        }
        return true
    }
}
