import Foundation
import RandWireTestSupport
import Testing

#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The test-support launcher: `ManagedProcess` on plain shell commands, and every seed replica
/// started through `SeedPrograms`, probed once over a raw socket. The replicas' full wire
/// behaviour is asserted by `Tests/SeedPrograms/selfcheck.py`, run here as one test.
///
/// Everything that blocks (process waits, blocking sockets) runs on a dedicated thread via
/// `onDedicatedThread`, never on the cooperative pool.
@Suite("Seed-program launcher", .timeLimit(.minutes(3)))
struct SeedProgramLauncherTests {
    // MARK: ManagedProcess

    @Test("ManagedProcess reads lines, stderr and the exit code")
    func linesStderrAndExitCode() async throws {
        let result = try await onDedicatedThread {
            let process = try ManagedProcess.start("/bin/sh", ["-c", "echo one; echo two >&2; printf 'three\\r\\nfour'; exit 3"])
            let lines = try (0..<5).map { _ in try process.readLine(timeout: .seconds(10)) }
            return (lines, process.waitForExit(timeout: .seconds(30)), process.standardError, process.allStandardOutput)
        }
        #expect(result.0 == ["one", "three", "four", nil, nil])
        #expect(result.1 == 3)
        #expect(result.2 == "two\n")
        #expect(result.3 == "one\nthree\r\nfour")
    }

    @Test("ManagedProcess writes stdin and sees the child end at EOF")
    func standardInput() async throws {
        let result = try await onDedicatedThread {
            let process = try ManagedProcess.start("cat", [], environment: ["UNUSED_BY_CAT": "1"])
            process.write("hello\n")
            let echoed = try process.readLine(timeout: .seconds(10))
            process.closeStandardInput()
            process.write("ignored after close\n")
            return (echoed, process.waitForExit(timeout: .seconds(30)))
        }
        #expect(result.0 == "hello")
        #expect(result.1 == 0)
    }

    @Test("readLine times out, terminate kills with SIGTERM and is idempotent")
    func timeoutAndTerminate() async throws {
        let result = try await onDedicatedThread {
            let process = try ManagedProcess.start("sleep", ["30"])
            var timedOut = false
            do { _ = try process.readLine(timeout: .milliseconds(200)) } catch ManagedProcessError.timedOut { timedOut = true }
            let running = process.waitForExit(timeout: .milliseconds(50))
            let started = ContinuousClock.now
            process.terminate()
            process.terminate()
            return (timedOut, running, process.waitForExit(timeout: .seconds(1)), ContinuousClock.now - started)
        }
        #expect(result.0)
        #expect(result.1 == nil)
        #expect(result.2 == 128 + SIGTERM)
        #expect(result.3 < .seconds(10))
    }

    @Test("A missing executable is reported by name")
    func missingExecutable() {
        #expect(throws: ManagedProcessError.self) {
            _ = try ManagedProcess.start("randwire-no-such-program", [])
        }
    }

    @Test("PackagePaths finds the package root and the seed programs")
    func packagePaths() {
        #expect(FileManager.default.fileExists(atPath: PackagePaths.root.appendingPathComponent("Package.swift").path))
        #expect(FileManager.default.fileExists(atPath: PackagePaths.seedPrograms.appendingPathComponent("README.md").path))
    }

    // MARK: Seed replicas

    struct Probe: Sendable, CustomStringConvertible {
        let server: String
        let arguments: [String]
        /// Sent right after connect; nil = send nothing (bare, csv).
        let request: String?
        /// Read until EOF; otherwise one read (001 and 003 never close first).
        let untilEOF: Bool
        let accepts: @Sendable ([UInt8]) -> Bool
        var description: String { server }
    }

    static let probes: [Probe] = [
        Probe(server: "seed000_server", arguments: [], request: nil, untilEOF: true) { reply in
            (10...20).contains(Int(String(decoding: reply, as: UTF8.self)) ?? 0)
        },
        Probe(server: "seed001_server", arguments: [], request: "Example request", untilEOF: false) { reply in
            (1...10_000).contains(Int(String(decoding: reply, as: UTF8.self)) ?? 0)
        },
        Probe(server: "seed002_server", arguments: [], request: nil, untilEOF: true) { reply in
            let values = String(decoding: reply, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
            return values.count == 10 && values.allSatisfy { (1...100).contains(Int($0) ?? 0) }
        },
        Probe(server: "seed003_server", arguments: ["1"], request: "21", untilEOF: false) { reply in
            reply == Array("42".utf8)
        },
        Probe(server: "seed004_server", arguments: [], request: "4", untilEOF: true) { reply in
            reply == Array(" PAR ".utf8)
        },
    ]

    @Test("Each seed server announces a port and answers a raw connection", .enabled(if: SeedPrograms.pythonAvailable), arguments: probes)
    func seedServerAnswers(_ probe: Probe) async throws {
        let reply = try await onDedicatedThread {
            let server = try SeedPrograms.startServer(probe.server, arguments: probe.arguments + ["--lifetime", "30"])
            defer { server.process.terminate() }
            #expect(server.host == "127.0.0.1")
            #expect(server.port != 0)
            return try RawExchange.run(host: server.host, port: server.port, request: probe.request, untilEOF: probe.untilEOF)
        }
        #expect(probe.accepts(reply), "\(probe.server) replied \(String(decoding: reply, as: UTF8.self).debugDescription)")
    }

    @Test("startServer reports a server that exits before listening", .enabled(if: SeedPrograms.pythonAvailable))
    func startServerFailure() async throws {
        let error = await onDedicatedThread { () -> (any Error)? in
            do {
                _ = try SeedPrograms.startServer("seed003_server")  // no server number: usage error
                return nil
            } catch {
                return error
            }
        }
        let description = try #require(error.map { "\($0)" })
        #expect(description.contains("Usage: python server.py <server number>"))
    }

    @Test("runClient runs a replica client against a replica server", .enabled(if: SeedPrograms.pythonAvailable))
    func clientAgainstServer() async throws {
        let result = try await onDedicatedThread {
            let server = try SeedPrograms.startServer("seed004_server", arguments: ["--lifetime", "30"])
            defer { server.process.terminate() }
            return try SeedPrograms.runClient(
                "seed004_client", arguments: [server.host, String(server.port), "--once"], timeout: .seconds(20))
        }
        #expect(result.exitCode == 0)
        #expect(result.stdout == (0..<30).map(String.init).joined(separator: "-") + "\nFIM -\n")
    }

    @Test("runClient passes stdin and environment (seed003 client, empty line bounded by SEED_CLIENT_TIMEOUT)", .enabled(if: SeedPrograms.pythonAvailable))
    func clientStdinAndEnvironment() async throws {
        let result = try await onDedicatedThread {
            let server = try SeedPrograms.startServer("seed003_server", arguments: ["7", "--lifetime", "30"])
            defer { server.process.terminate() }
            let run = try SeedPrograms.runClient(
                "seed003_client", arguments: ["--ports", String(server.port)], stdin: "21\n\nexit\n",
                timeout: .seconds(20), environment: ["SEED_CLIENT_TIMEOUT": "0.5"])
            // The empty line's connection closed without data: the original server then exits 0.
            return (run, server.process.waitForExit(timeout: .seconds(30)))
        }
        #expect(result.0.exitCode == 0)
        #expect(result.0.stdout.contains("Received from server: 42\n"))
        #expect(result.0.stdout.contains("with error timed out\n"))
        #expect(result.1 == 0)
    }

    @Test("selfcheck.py: every documented wire behaviour of the replicas", .enabled(if: SeedPrograms.pythonAvailable))
    func selfcheck() async throws {
        let result = try await onDedicatedThread {
            try SeedPrograms.runClient("selfcheck", arguments: [], timeout: .seconds(150))
        }
        #expect(result.exitCode == 0, "selfcheck output:\n\(result.stdout)\(result.stderr)")
    }
}

/// Runs `body` on a new thread and resumes the caller when it is done, so blocking waits never
/// occupy a cooperative-pool thread.
private func onDedicatedThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

private func onDedicatedThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: body()) }
    }
}

/// A tiny blocking IPv4 client with a 5 s receive timeout, for probing the replicas.
private enum RawExchange {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func run(host: String, port: UInt16, request: String?, untilEOF: Bool) throws -> [UInt8] {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        defer { close(descriptor) }

        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw Failure(description: "bad IPv4 address \(host)") }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(description: "connect to \(host):\(port): errno \(errno)") }

        if let request {
            let bytes = Array(request.utf8)
            #if canImport(Glibc)
            let flags = Int32(MSG_NOSIGNAL)
            #else
            let flags: Int32 = 0  // Darwin has no MSG_NOSIGNAL; ManagedProcess ignores SIGPIPE
            #endif
            let sent = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, flags) }
            guard sent == bytes.count else { throw Failure(description: "send: errno \(errno)") }
        }

        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                reply += buffer[0..<count]
                if !untilEOF || reply.count > 64 * 1024 { return reply }
            } else if count == 0 {
                return reply
            } else if errno != EINTR {
                throw Failure(description: "recv after \(reply.count) bytes: errno \(errno)")
            }
        }
    }
}
