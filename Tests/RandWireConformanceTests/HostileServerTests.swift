import Foundation
import RandWireConformance
import RandWireProtocol
import RandWireSocket
import Synchronization
import Testing

/// The conformance runner pointed at servers nobody should trust (issue 7). Each hostile server
/// below is a few lines on a `Listener`, one thread per connection. For each, the run must end
/// with a failed check whose message names the problem, within the run deadline (plus one
/// exchange: the deadline is checked between checks), and the process's peak RSS must stay
/// under `memoryCap`.
///
/// Memory cap: 512 MiB peak RSS (`VmHWM` in /proc/self/status) for the whole test process. It
/// is a process-wide high-water mark, so it also bounds every suite running in parallel; a
/// runner that buffered a flood or a 1 MiB "number" per exchange would blow through it.
@Suite("Runner against hostile servers", .timeLimit(.minutes(3)))
struct HostileServerTests {
    static let runDeadline: Duration = .seconds(10)
    static let answerTimeout: Duration = .seconds(1)
    static let closeWait: Duration = .seconds(1)
    /// The deadline is checked before each check; one exchange may be under way then (answer
    /// timeout + close wait, or a fixture's 3 × answer timeout), plus scheduling slack.
    static let overrun: Duration = .seconds(5)
    /// 512 MiB, or `RANDWIRE_RSS_CAP_MIB` (Scripts/sanitizers.sh raises it under ASan, whose
    /// shadow memory and quarantine alone exceed the cap).
    static let memoryCapBytes = (ProcessInfo.processInfo.environment["RANDWIRE_RSS_CAP_MIB"].flatMap { Int($0) } ?? 512) << 20

    enum Behaviour: String, CaseIterable, CustomStringConvertible, Sendable {
        case flood, neverAnswers, neverCloses, oneBytePerSecond, resets, closesAtOnce, mebibyteNumber, invalidUTF8
        var description: String { rawValue }

        /// Phrases one of which a failing check's message must contain: the "clear message".
        /// (Closing at once with the request unread sends RST, so it may read as a reset.)
        var expectedMessages: [String] {
            switch self {
            case .flood, .mebibyteNumber: ["over the 1024-byte cap"]
            case .neverAnswers: ["no answer within"]
            case .neverCloses: ["did not close"]
            case .oneBytePerSecond: ["did not close"]
            case .resets: ["reset without an answer"]
            case .closesAtOnce: ["closed without answering", "reset without an answer"]
            case .invalidUTF8: ["not valid UTF-8"]
            }
        }
    }

    @Test("the run fails with a clear message, within its deadline, in bounded memory",
          arguments: Behaviour.allCases, [Profile.bare, .parity])
    func hostile(behaviour: Behaviour, profile: Profile) async throws {
        let server = try HostileServer.start(behaviour)
        // stop() waits for the connection threads: never on the concurrency pool (see below).
        defer { server.stopInBackground() }
        let fixtures = try await BlockingPool.perform { Self.builtInFixtures }.get()
        var configuration = RunConfiguration(target: server.endpoint, parameters: ProfileParameters(profile: profile), fixtures: fixtures)
        configuration.runDeadline = Self.runDeadline
        configuration.answerTimeout = Self.answerTimeout
        configuration.connectTimeout = .seconds(1)
        configuration.closeWait = Self.closeWait
        configuration.connectionDeadlineLimit = .seconds(3)
        configuration.samples = 200
        // Timed on the runner's own thread, so a stalled concurrency pool does not count.
        let run = configuration
        let (report, elapsed) = await BlockingPool.perform {
            let started = Deadline.now
            let report = ConformanceRunner(configuration: run).run()
            return (report, Deadline.now - started)
        }
        await BlockingPool.perform { server.stop() }

        #expect(elapsed < Self.runDeadline + Self.overrun, "\(behaviour), \(profile): the run took \(elapsed)")
        #expect(!report.conformant && report.exitCode == 1, "\(behaviour), \(profile): exit \(report.exitCode)")
        let failures = report.results.filter { $0.status == .fail }
        #expect(!failures.isEmpty)
        #expect(failures.allSatisfy { !$0.message.isEmpty && !$0.findings.isEmpty }, "a failure without a message")
        #expect(failures.contains { failure in behaviour.expectedMessages.contains { failure.message.contains($0) } },
                "\(behaviour), \(profile): no failure says \(behaviour.expectedMessages):\n\(failures.map { "\($0.id): \($0.message)" }.joined(separator: "\n"))")
        // Evidence stays bounded too: no transcript keeps more than the capped read.
        let largest = report.results.flatMap(\.transcripts).flatMap(\.events).map { $0.hex?.count ?? 0 }.max() ?? 0
        #expect(largest <= 2 * 4096, "a transcript event holds \(largest / 2) bytes")
        let peak = try #require(Self.peakResidentBytes())
        #expect(peak < Self.memoryCapBytes, "peak RSS \(peak >> 20) MiB over the \(Self.memoryCapBytes >> 20) MiB cap")
    }

    /// Loaded once, off the concurrency pool: parsing the suite takes about a second in a
    /// debug build, and sixteen parallel cases doing it on the pool's threads stalled every
    /// other test's continuations for many seconds.
    static let builtInFixtures = Result { () throws(FixtureError) in try FixtureLoader.builtIn() }

    /// VmHWM from /proc/self/status, in bytes.
    static func peakResidentBytes() -> Int? {
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/status") else { return nil }
        defer { try? handle.close() }
        let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kilobytes * 1024
    }
}

/// A deliberately broken server: accepts on 127.0.0.1:0 and runs `behaviour` on each connection
/// in its own thread. Every behaviour loops on short deadlines and checks `isStopped`, so `stop`
/// ends them all promptly.
final class HostileServer: @unchecked Sendable {
    let listener: Listener
    let behaviour: HostileServerTests.Behaviour
    private let stopped = Atomic<Bool>(false)
    private let running = Atomic<Int>(0)

    var endpoint: Endpoint { Endpoint(host: "127.0.0.1", port: listener.address.port) }
    var isStopped: Bool { stopped.load(ordering: .acquiring) }

    private init(listener: Listener, behaviour: HostileServerTests.Behaviour) {
        self.listener = listener
        self.behaviour = behaviour
    }

    static func start(_ behaviour: HostileServerTests.Behaviour) throws -> HostileServer {
        let server = HostileServer(listener: try Listener.bind(host: "127.0.0.1", port: 0), behaviour: behaviour)
        server.spawn { server.acceptLoop() }
        return server
    }

    /// Stops accepting, then waits (bounded) for the connection threads to notice.
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        listener.close()
        let until = Deadline.after(.seconds(3))
        while running.load(ordering: .acquiring) > 0 && !until.hasPassed { _ = poll(nil, 0, 5) }
    }

    /// For `defer` in async code: stops without blocking the calling (concurrency) thread.
    func stopInBackground() {
        BlockingPool.submit { [self] in stop() }
    }

    private func spawn(_ body: @escaping @Sendable () -> Void) {
        running.add(1, ordering: .acquiringAndReleasing)
        let thread = Thread { [self] in
            body()
            running.subtract(1, ordering: .acquiringAndReleasing)
        }
        thread.stackSize = 256 << 10
        thread.start()
    }

    private func acceptLoop() {
        while !isStopped {
            let connection: Connection?
            do {
                connection = try listener.accept(deadline: .after(.milliseconds(100)))
            } catch {
                return
            }
            guard let connection else { continue }
            spawn { [self] in
                serve(connection)
                connection.close()
            }
        }
    }

    private func serve(_ connection: Connection) {
        switch behaviour {
        case .flood:
            let chunk = [UInt8](repeating: UInt8(ascii: "7"), count: 16 << 10)
            while !isStopped {
                do {
                    try connection.send(chunk, deadline: .after(.milliseconds(100)))
                } catch where error.kind == .timeout {
                    continue
                } catch {
                    return
                }
            }
        case .neverAnswers:
            idle(connection)
        case .neverCloses:
            try? connection.send(Array("15".utf8), deadline: .after(.seconds(1)))
            idle(connection)
        case .oneBytePerSecond:
            // A valid-looking number that never ends; each byte lands just inside the runner's
            // 1 s close wait, so every byte restarts it: the worst case for a reader.
            while !isStopped {
                guard (try? connection.send([UInt8(ascii: "1")], deadline: .after(.seconds(1)))) != nil else { return }
                switch connection.read(maxBytes: 4096, deadline: .after(.milliseconds(900))) {
                case .timeout, .data: continue
                default: return
                }
            }
        case .resets:
            connection.abort()
        case .closesAtOnce:
            connection.close()
        case .mebibyteNumber:
            try? connection.send([UInt8](repeating: UInt8(ascii: "9"), count: 1 << 20), deadline: .after(.seconds(2)))
        case .invalidUTF8:
            try? connection.send([0xFF, 0xFE, 0x31, 0x35], deadline: .after(.seconds(1)))
        }
    }

    /// Holds the connection without writing until the client leaves or the server stops.
    private func idle(_ connection: Connection) {
        while !isStopped {
            switch connection.read(maxBytes: 4096, deadline: .after(.milliseconds(100))) {
            case .data, .timeout: continue
            default: return
            }
        }
    }
}
