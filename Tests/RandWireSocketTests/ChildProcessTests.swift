#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RandWireSocket
import Testing

/// The package's one process launcher, as the grader and the tests' `ManagedProcess` use it.
@Suite("Child processes", .timeLimit(.minutes(1)))
struct ChildProcessTests {
    /// Spawned from a Swift-concurrency thread, whose signal mask blocks SIGTERM: the child must
    /// still die of SIGTERM at once, because the spawn sets an empty mask.
    @Test("SIGTERM stops a child started from an async test, without the SIGKILL fallback")
    func terminatesPromptly() async throws {
        let process = try ChildProcess.start(["sleep", "30"], environment: [:])
        let started = Deadline.now
        let stopped = process.stop(grace: .seconds(5))
        #expect(stopped.status == .signalled(SIGTERM))
        #expect(!stopped.exitedByItself)
        #expect(Deadline.now - started < .seconds(6))
    }

    @Test("the whole process group goes: children that ignore SIGTERM are killed after the grace")
    func killsTheGroup() async throws {
        let script = "trap '' TERM; sleep 30 & echo $!; sleep 30 & echo $!; wait"
        let process = try ChildProcess.start(["/bin/sh", "-c", script], environment: [:])
        // The two grandchildren's PIDs arrive on stdout (slowly on a loaded test run).
        let deadline = Deadline.after(.seconds(30))
        var pids: [pid_t] = []
        while pids.count < 2 && !deadline.hasPassed {
            pids = String(decoding: process.standardOutput.bytes, as: UTF8.self).split(separator: "\n").compactMap { pid_t($0) }
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(pids.count == 2)
        let started = Deadline.now
        let stopped = process.stop(grace: .milliseconds(300))
        #expect(stopped.status == .signalled(SIGKILL))
        #expect(Deadline.now - started < .seconds(8))
        // Reparented and reaped by init: gone within moments.
        for pid in pids {
            let gone = Deadline.after(.seconds(15))
            while kill(pid, 0) == 0 && !gone.hasPassed { try await Task.sleep(for: .milliseconds(20)) }
            #expect(kill(pid, 0) == -1, "grandchild \(pid) survived")
        }
    }

    @Test("$PORT is in the environment; a process that exits by itself is reported so")
    func environmentAndExit() async throws {
        let process = try ChildProcess.start(["/bin/sh", "-c", "echo port=$PORT; echo oops >&2; exit 3"], environment: ["PORT": "4321"])
        let deadline = Deadline.after(.seconds(10))
        while process.exitStatus == nil && !deadline.hasPassed { try await Task.sleep(for: .milliseconds(10)) }
        let stopped = process.stop()
        #expect(stopped.status == .exited(3))
        #expect(stopped.exitedByItself)
        #expect(process.standardOutput.lastLines(5) == ["port=4321"])
        #expect(process.standardError.lastLines(5) == ["oops"])
    }

    @Test("a flood of output is drained and only its tail kept")
    func floodIsBounded() async throws {
        // About 4 MB of stderr, far beyond a pipe's 64 KiB and the 16 KiB tail.
        let process = try ChildProcess.start(["/bin/sh", "-c", "yes 'flood flood flood flood' | head -c 4000000 >&2; echo >&2; echo last >&2; sleep 30"], environment: [:])
        let deadline = Deadline.after(.seconds(20))
        while process.standardError.total < 4_000_006 && !deadline.hasPassed { try await Task.sleep(for: .milliseconds(20)) }
        process.stop()
        let tail = process.standardError
        #expect(tail.total == 4_000_006)
        #expect(tail.bytes.count == 16 * 1024)
        #expect(tail.lastLines(1) == ["last"])
    }

    @Test("a missing program is a launch error, not a crash")
    func missingProgram() {
        #expect(throws: LaunchError.self) { try ChildProcess.start(["/nonexistent/server"], environment: [:]) }
        #expect(throws: LaunchError.self) { try ChildProcess.start(["no-such-program-randwire"], environment: [:]) }
    }

    @Test("stdin through a pipe; lines come back in order, CR LF trimmed, the unterminated rest last")
    func standardInputAndLines() async throws {
        let process = try ChildProcess.start(["/bin/sh", "-c", "read word; echo got $word; printf 'a\\r\\nb'"], standardInput: .pipe)
        process.write(Array("hello\n".utf8))
        let lines = await BlockingPool.perform { (0..<4).map { _ in process.readLine(timeout: .seconds(10)) } }
        #expect(lines == [.line("got hello"), .line("a"), .line("b"), .endOfFile])
        #expect(process.waitForExit(timeout: .seconds(10)) == .exited(0))
        #expect(process.waitForEndOfOutput(timeout: .seconds(10)))
    }

    @Test("lines that fell out of the kept tail are skipped, not returned torn")
    func linesBeyondTheTail() async throws {
        let process = try ChildProcess.start(["/bin/sh", "-c", "i=0; while [ $i -lt 200 ]; do echo line$i; i=$((i+1)); done"], outputLimit: 64)
        #expect(process.waitForExit(timeout: .seconds(10)) == .exited(0))
        #expect(process.waitForEndOfOutput(timeout: .seconds(10)))
        let lines = await BlockingPool.perform { (0..<20).map { _ in process.readLine(timeout: .seconds(10)) } }
        let text = lines.compactMap { if case .line(let line) = $0 { line } else { nil } }
        #expect(text.last == "line199")
        #expect(text.allSatisfy { $0.hasPrefix("line") })
        #expect(lines.last == .endOfFile)
        #expect(process.standardOutput.bytes.count == 64)
    }
}
