#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import RandWireSocket
import Synchronization

/// How a child process ended.
package enum ExitStatus: Sendable, Hashable, CustomStringConvertible {
    case exited(Int32)
    case signalled(Int32)

    /// Decodes a `waitpid` status (the W* macros are not visible to Swift).
    init(waitStatus status: Int32) {
        let signal = status & 0x7F
        self = signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
    }

    package var description: String {
        switch self {
        case .exited(let code): "exit \(code)"
        case .signalled(let signal): "killed by \(ExitStatus.signalName(signal))"
        }
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGTERM: "SIGTERM"
        case SIGKILL: "SIGKILL"
        case SIGINT: "SIGINT"
        case SIGSEGV: "SIGSEGV"
        case SIGABRT: "SIGABRT"
        case SIGPIPE: "SIGPIPE"
        case SIGBUS: "SIGBUS"
        case SIGFPE: "SIGFPE"
        case SIGILL: "SIGILL"
        case SIGHUP: "SIGHUP"
        default: "signal \(signal)"
        }
    }
}

/// Why a student's command could not be started.
package struct LaunchError: Error, Sendable, Hashable, CustomStringConvertible {
    package let description: String
}

/// A student's server process: its own process group (so it and everything it spawns can be
/// signalled at once), stdin from /dev/null, stdout and stderr drained into bounded tails.
///
/// Spawned with `posix_spawn` and an explicit empty signal mask and default dispositions: the
/// grader's worker threads block signals, and a child inheriting that mask would ignore SIGTERM.
/// Every call blocks the calling thread for a bounded time; call from a dedicated thread.
final class StudentProcess: @unchecked Sendable {
    let pid: pid_t
    private let output: OutputCapture
    private let lock = Mutex<ExitStatus?>(nil)

    private init(pid: pid_t, output: OutputCapture) {
        self.pid = pid
        self.output = output
    }

    /// Starts `arguments[0]` (looked up on PATH when it has no '/') with the grader's environment
    /// plus `environment`.
    static func start(_ arguments: [String], environment: [String: String]) throws(LaunchError) -> StudentProcess {
        let result = spawnLock.withLock { _ in Result<StudentProcess, LaunchError> { () throws(LaunchError) in try spawn(arguments, environment: environment) } }
        return try result.get()
    }

    private static func spawn(_ arguments: [String], environment: [String: String]) throws(LaunchError) -> StudentProcess {
        guard let program = arguments.first, !program.isEmpty else { throw LaunchError(description: "empty command") }
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard makePipe(&outPipe), makePipe(&errPipe) else {
            let code = errno
            for fd in outPipe + errPipe where fd >= 0 { close(fd) }
            throw LaunchError(description: "cannot create pipes: \(String(cString: strerror(code)))")
        }

        #if canImport(Darwin)
        var attributes: posix_spawnattr_t? = nil
        var actions: posix_spawn_file_actions_t? = nil
        #else
        var attributes = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawnattr_init(&attributes)
        posix_spawn_file_actions_init(&actions)
        defer {
            posix_spawnattr_destroy(&attributes)
            posix_spawn_file_actions_destroy(&actions)
        }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        // Signals the grader ignores (SIGPIPE) go back to their defaults in the child.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)

        let merged = ProcessInfo.processInfo.environment.merging(environment) { _, given in given }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let code = posix_spawnp(&pid, program, &actions, &attributes, argv, envp)
        close(outPipe[1])
        close(errPipe[1])
        guard code == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            let reason = code == ENOENT ? "no such program (is it on PATH, or is the path right?)" : String(cString: strerror(code))
            throw LaunchError(description: "cannot start '\(program)': \(reason)")
        }
        return StudentProcess(pid: pid, output: OutputCapture(standardOutput: outPipe[0], standardError: errPipe[0]))
    }

    /// Close-on-exec, so one student's pipes never leak into another student's process (their
    /// EOF would then never come). `pipe2` is not visible from Swift's Glibc, so the flag is set
    /// afterwards, under `spawnLock` so no concurrent spawn sees the window.
    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        guard pipe(&fds) == 0 else { return false }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return true
    }

    private static let spawnLock = Mutex(())

    /// How the process ended, if it has; reaps it. Never blocks.
    var exitStatus: ExitStatus? {
        lock.withLock { status in
            if status == nil {
                var raw: Int32 = 0
                let result = waitpid(pid, &raw, WNOHANG)
                if result == pid { status = ExitStatus(waitStatus: raw) }
            }
            return status
        }
    }

    /// SIGTERM to the whole group, SIGKILL to whatever of it is left once the leader has exited
    /// or after `grace`, then reaps the leader and stops reading its output. Returns how the
    /// leader ended and whether it had already ended before it was asked to stop.
    @discardableResult
    func stop(grace: Duration = .seconds(1)) -> (status: ExitStatus?, exitedByItself: Bool) {
        let already = exitStatus
        if already == nil {
            kill(-pid, SIGTERM)
            let deadline = Deadline.after(grace)
            while exitStatus == nil && !deadline.hasPassed { usleep(10_000) }
        }
        // Stragglers (children that ignore SIGTERM) would otherwise outlive grading; the group
        // ID stays reserved while any member lives, so this cannot hit an unrelated process.
        kill(-pid, SIGKILL)
        let reapDeadline = Deadline.after(.seconds(5))
        while exitStatus == nil && !reapDeadline.hasPassed { usleep(5_000) }
        output.finish(grace: .milliseconds(200))
        return (exitStatus, already != nil)
    }

    var standardOutput: OutputTail { output.standardOutput }
    var standardError: OutputTail { output.standardError }
}
