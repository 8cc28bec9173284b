#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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

    /// The shell's convention: the exit code, or 128 + the signal number.
    package var shellCode: Int32 {
        switch self {
        case .exited(let code): code
        case .signalled(let signal): 128 + signal
        }
    }

    package var description: String {
        switch self {
        case .exited(let code): "exit \(code)"
        case .signalled(let signal): "killed by \(ExitStatus.signalName(signal))"
        }
    }

    package static func signalName(_ signal: Int32) -> String {
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

/// Why a child process could not be started.
package struct LaunchError: Error, Sendable, Hashable, CustomStringConvertible {
    package let description: String

    package init(description: String) {
        self.description = description
    }
}

/// The package's one process launcher: a child in its own process group (so it and everything
/// it spawns can be signalled at once), argv without a shell, stdin from /dev/null or a pipe,
/// and stdout and stderr drained on a dedicated thread into bounded buffers (see `ChildOutput`),
/// so a child that floods its output can neither block on a full pipe nor fill our memory.
///
/// Spawned with `posix_spawn`, an explicit empty signal mask and default dispositions: worker,
/// Dispatch and Swift-concurrency threads block signals, and a child inheriting that mask would
/// ignore SIGTERM. Every pipe is close-on-exec before any other spawn can run (`spawnLock`), so
/// no child ever holds another child's pipe open: that child's reader would then wait for an
/// EOF that only comes when the unrelated child exits. Spawning children any other way
/// (Foundation's `Process` and `Pipe`, whose descriptors are not close-on-exec) breaks that
/// promise for everyone, so this is the only launcher in the package.
///
/// The waiting calls (`waitForExit`, `readLine`, `stop`, `write`) block the calling thread for
/// a bounded time: call them from a dedicated thread, not the Swift concurrency pool.
package final class ChildProcess: Sendable {
    /// Where the child's stdin comes from.
    package enum Input: Sendable {
        /// `/dev/null`: the child reads EOF at once.
        case null
        /// A pipe that `write` and `closeStandardInput` feed.
        case pipe
    }

    /// The child's process ID, which is also its process group ID.
    package let pid: pid_t
    private let status = Mutex<ExitStatus?>(nil)
    private let input: Mutex<Int32?>
    private let output: ChildOutput

    private init(pid: pid_t, input: Int32?, output: ChildOutput) {
        self.pid = pid
        self.input = Mutex(input)
        self.output = output
    }

    /// Ends a child nobody stopped: SIGKILL to its group, reaped, its output no longer read.
    deinit {
        if exitStatus == nil {
            kill(-pid, SIGKILL)
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        }
        input.withLock { fd in if let descriptor = fd { close(descriptor) } }
        output.abandon()
    }

    /// Starts `arguments[0]` (looked up on PATH when it has no '/') with `arguments[1...]`, the
    /// environment of this process plus `environment`, and stdin from `standardInput`. Keeps
    /// the last `outputLimit` bytes of each of stdout and stderr.
    /// - Parameter inheritEnvironment: false gives the child `environment` alone (a contained
    ///   student sees none of the grader's variables).
    package static func start(_ arguments: [String], environment: [String: String] = [:], inheritEnvironment: Bool = true,
                              standardInput: Input = .null, outputLimit: Int = 16 * 1024) throws(LaunchError) -> ChildProcess {
        guard let program = arguments.first, !program.isEmpty else { throw LaunchError(description: "empty command") }
        if standardInput == .pipe { _ = ignoreBrokenPipes }
        let variables = inheritEnvironment ? mergedEnvironment(environment) : environment.map { "\($0.key)=\($0.value)" }.sorted()
        let spawned = spawnLock.withLock { _ in
            Result { () throws(LaunchError) in try spawn(program, arguments, environment: variables, pipeInput: standardInput == .pipe) }
        }
        let (pid, descriptors) = try spawned.get()
        let output = ChildOutput(standardOutput: descriptors.output, standardError: descriptors.errors, limit: outputLimit)
        return ChildProcess(pid: pid, input: descriptors.input, output: output)
    }

    /// Runs under `spawnLock`: `pipe2` is not visible from Swift's Glibc, so close-on-exec is set
    /// just after `pipe`, and no spawn of ours may run in that window.
    private static func spawn(_ program: String, _ arguments: [String], environment: [String],
                              pipeInput: Bool) throws(LaunchError) -> (pid_t, (input: Int32?, output: Int32, errors: Int32)) {
        var pipes: [[Int32]] = []
        for _ in 0..<(pipeInput ? 3 : 2) {
            var fds: [Int32] = [-1, -1]
            guard pipe(&fds) == 0 else {
                let code = errno
                for fd in pipes.joined() { close(fd) }
                throw LaunchError(description: "cannot create pipes: \(Platform.message(for: code))")
            }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            pipes.append(fds)
        }
        let (outPipe, errPipe) = (pipes[0], pipes[1])
        let inPipe = pipeInput ? pipes[2] : nil

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
        // Signals this process ignores (SIGPIPE) go back to their defaults in the child.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        if let inPipe {
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let code = posix_spawnp(&pid, program, &actions, &attributes, argv, envp)
        // The child's ends: only the child keeps them.
        close(outPipe[1])
        close(errPipe[1])
        if let inPipe { close(inPipe[0]) }
        guard code == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            if let inPipe { close(inPipe[1]) }
            let reason = code == ENOENT ? "no such program (is it on PATH, or is the path right?)" : Platform.message(for: code)
            throw LaunchError(description: "cannot start '\(program)': \(reason)")
        }
        return (pid, (inPipe?[1], outPipe[0], errPipe[0]))
    }

    private static let spawnLock = Mutex(())

    /// Writing to the stdin of a child that has exited must give EPIPE, not end this process.
    /// (Children get SIGPIPE back at its default.)
    private static let ignoreBrokenPipes: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()

    /// This process's environment with `additions` added or replaced, as `KEY=value` strings.
    private static func mergedEnvironment(_ additions: [String: String]) -> [String] {
        var merged: [String] = []
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            let key = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? text
            if additions[key] == nil { merged.append(text) }
            entry += 1
        }
        return merged + additions.map { "\($0.key)=\($0.value)" }
    }

    // MARK: - Exit

    /// How the process ended, if it has; reaps it. Never blocks.
    package var exitStatus: ExitStatus? {
        status.withLock { status in
            if status == nil {
                var raw: Int32 = 0
                if waitpid(pid, &raw, WNOHANG) == pid { status = ExitStatus(waitStatus: raw) }
            }
            return status
        }
    }

    /// Waits at most `timeout` for the process to end; nil if it is still running.
    package func waitForExit(timeout: Duration) -> ExitStatus? {
        let deadline = Deadline.after(timeout)
        while true {
            if let status = exitStatus { return status }
            if deadline.hasPassed { return nil }
            usleep(2_000)
        }
    }

    /// SIGTERM to the whole group, SIGKILL to whatever of it is left once the leader has exited
    /// or after `grace`, then reaps the leader and stops reading its output. Returns how the
    /// leader ended and whether it had already ended before it was asked to stop. Idempotent.
    @discardableResult
    package func stop(grace: Duration = .seconds(1)) -> (status: ExitStatus?, exitedByItself: Bool) {
        closeStandardInput()
        let already = exitStatus
        if already == nil {
            kill(-pid, SIGTERM)
            _ = waitForExit(timeout: grace)
        }
        // Stragglers (children that ignore SIGTERM) would otherwise outlive us; the group ID
        // stays reserved while any member lives, so this cannot hit an unrelated process.
        kill(-pid, SIGKILL)
        let status = waitForExit(timeout: .seconds(5))
        output.finish(grace: .milliseconds(200))
        return (status, already != nil)
    }

    // MARK: - Input

    /// Writes `bytes` to the child's stdin (`Input.pipe`). Ignored once stdin is closed or the
    /// child has stopped reading it. Blocks while the pipe is full and the child does not read.
    package func write(_ bytes: [UInt8]) {
        input.withLock { fd in
            guard let descriptor = fd else { return }
            var rest = bytes[...]
            while !rest.isEmpty {
                let written = rest.withUnsafeBytes { writeDescriptor(descriptor, $0.baseAddress, $0.count) }
                if written > 0 {
                    rest = rest.dropFirst(written)
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return  // EPIPE: the child is gone or closed its stdin
                }
            }
        }
    }

    /// Closes the child's stdin so it reads EOF. Idempotent.
    package func closeStandardInput() {
        input.withLock { fd in
            if let descriptor = fd { close(descriptor) }
            fd = nil
        }
    }

    // MARK: - Output

    /// The next line of stdout, without its LF (and CR); `.endOfFile` once stdout has ended and
    /// every line was returned (an unterminated rest is the last line); `.timedOut` if no
    /// complete line arrived within `timeout`. Lines that fell out of the kept tail are skipped.
    package func readLine(timeout: Duration) -> ChildOutput.LineResult {
        output.nextLine(deadline: .after(timeout))
    }

    /// Waits at most `timeout` for stdout and stderr to end; false if one is still open (a
    /// grandchild that left the group can hold them).
    package func waitForEndOfOutput(timeout: Duration) -> Bool {
        output.waitForEnd(deadline: .after(timeout))
    }

    /// The kept tail of stdout and how many bytes it carried in all.
    package var standardOutput: OutputTail { output.tail(.standardOutput) }
    /// The kept tail of stderr and how many bytes it carried in all.
    package var standardError: OutputTail { output.tail(.standardError) }
}

/// `write(2)`, under a name the `write` method above does not shadow.
private func writeDescriptor(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
