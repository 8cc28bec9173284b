import Foundation
import RandWireSocket

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

/// A child process for tests: `ChildProcess` with a stdin pipe, generous output buffers (the
/// last 8 MiB of each stream) and the test-friendly shapes below (exit codes as the shell
/// gives them, stderr as text, errors that name the program).
///
/// `readLine(timeout:)`, `waitForExit(timeout:)` and `terminate()` **block the calling thread**
/// (bounded by their timeouts). Calling them from a `@Test` function for short waits is fine; do
/// not call them in a loop from many concurrent tasks, since that starves the cooperative pool.
///
/// The child is always ended: `terminate()` runs from `deinit` too (so dropping the last
/// reference can block for up to a few seconds; prefer calling `terminate()` explicitly).
/// SIGPIPE is ignored in the test process, so writing to a dead child gives EPIPE instead of
/// killing the runner; the child itself starts with every signal at its default.
package final class ManagedProcess: Sendable {
    private let child: ChildProcess

    /// The child's process ID (also its process group ID).
    package var processIdentifier: Int32 { child.pid }

    private init(child: ChildProcess) {
        self.child = child
    }

    deinit {
        terminate()
    }

    /// Starts `executable` (a path, or a name looked up on `PATH`) with `arguments`.
    /// `environment` is added to, and overrides, the inherited environment.
    package static func start(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil
    ) throws -> ManagedProcess {
        guard let path = findExecutable(executable) else {
            throw ManagedProcessError.executableNotFound(executable)
        }
        do {
            let child = try ChildProcess.start(
                [path] + arguments, environment: environment ?? [:], standardInput: .pipe, outputLimit: 8 << 20)
            return ManagedProcess(child: child)
        } catch {
            throw ManagedProcessError.launchFailed(path, error.description)
        }
    }

    /// The next line of the child's stdout, without its LF (and CR). At EOF the unterminated rest,
    /// if any, is the last line and then `nil` follows. Throws `ManagedProcessError.timedOut` if no
    /// complete line arrives within `timeout`. Blocks the calling thread.
    package func readLine(timeout: Duration) throws -> String? {
        switch child.readLine(timeout: timeout) {
        case .line(let line): return line
        case .endOfFile: return nil
        case .timedOut:
            throw ManagedProcessError.timedOut("no stdout line from pid \(processIdentifier) within \(timeout)")
        }
    }

    /// Writes `text` as UTF-8 to the child's stdin. Ignored once stdin is closed or the child has
    /// exited. May block if the child does not read and the pipe (64 KiB) is full.
    package func write(_ text: String) {
        child.write(Array(text.utf8))
    }

    /// Closes the child's stdin so it reads EOF. Idempotent.
    package func closeStandardInput() {
        child.closeStandardInput()
    }

    /// Ends the child: SIGTERM to its process group, then SIGKILL if it is still alive after 1 s,
    /// and waits until it is reaped. Idempotent; also called from `deinit`. Blocks the calling
    /// thread (≤ about 6 s).
    package func terminate() {
        child.closeStandardInput()
        guard child.exitStatus == nil else { return }
        child.stop(grace: .seconds(1))
    }

    /// Waits until the child has exited and its stdout and stderr are drained, at most `timeout`.
    /// Returns the exit code (128 + signal number when a signal killed it), or `nil` if it is
    /// still running. Blocks the calling thread.
    package func waitForExit(timeout: Duration) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        guard let status = child.waitForExit(timeout: timeout) else { return nil }
        // A grandchild could keep the pipes open; the exit code is known either way.
        _ = child.waitForEndOfOutput(timeout: max(.zero, deadline - ContinuousClock.now))
        return status.shellCode
    }

    /// The exit code once the child has exited (see `waitForExit`), else `nil`. Never blocks.
    package var exitCode: Int32? { child.exitStatus?.shellCode }

    /// What the child wrote to stderr so far.
    package var standardError: String { child.standardError.text }

    /// What the child wrote to stdout so far, including lines already returned by `readLine`.
    package var allStandardOutput: String { child.standardOutput.text }

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
}
