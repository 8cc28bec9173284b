#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RandWireBench
import RandWireProtocol
import RandWireServer
import RandWireSocket
import RandWireTestSupport
import Testing

/// Runs the load generator on a pool thread (it blocks), never on the concurrency pool.
func bench(_ configuration: BenchConfiguration) async throws -> (BenchResult, Duration) {
    try await BlockingPool.run {
        let started = Deadline.now
        let result = try LoadGenerator.run(configuration)
        return (result, Deadline.now - started)
    }
}

func referenceServer(_ profile: Profile, configure: (inout ServerConfiguration) -> Void = { _ in }) throws -> ReferenceServer {
    var configuration = ServerConfiguration(parameters: ProfileParameters(profile: profile))
    configure(&configuration)
    return try ReferenceServer.start(configuration)
}

/// A TCP port on 127.0.0.1 that is bound but not listening: every connect to it is refused,
/// and nothing else can take it while `body` runs.
func withClosedPort<T>(_ body: (UInt16) async throws -> T) async throws -> T {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    try #require(fd >= 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    try #require(bound)
    return try await body(UInt16(bigEndian: address.sin_port))
}

// Serialized: these tests measure load, so they should not share two cores with each other.
@Suite("Load generator", .serialized)
struct LoadGeneratorTests {
    @Test("bare against the reference server: 8 connections for 1 s, every answer valid")
    func bareAgainstReference() async throws {
        let server = try referenceServer(.bare)
        defer { server.stop() }
        let configuration = BenchConfiguration(
            target: server.endpoint, parameters: ProfileParameters(profile: .bare), connections: 8, duration: .seconds(1), threads: 2)
        let (result, elapsed) = try await bench(configuration)
        #expect(result.exchanges > 0)
        #expect(result.errorCount == 0, "\(result.errors)")
        #expect(result.invalidExamples.isEmpty)
        #expect(result.unfinished == 0)
        #expect(result.latency.samples == result.exchanges + result.completedInGrace)
        #expect(result.latency.p50Ms > 0 && result.latency.p50Ms <= result.latency.p99Ms && result.latency.p99Ms <= result.latency.maxMs)
        #expect(elapsed < .seconds(8))
        #expect(server.statistics.answered >= result.exchanges)
    }

    @Test("request, csv, parity and double against the reference server: zero errors", arguments: [Profile.request, .csv, .parity, .double])
    func otherProfiles(_ profile: Profile) async throws {
        let server = try referenceServer(profile)
        defer { server.stop() }
        let configuration = BenchConfiguration(
            target: server.endpoint, parameters: ProfileParameters(profile: profile), connections: 8, duration: .milliseconds(500),
            request: profile.seedRequestLine, threads: 2)
        let (result, _) = try await bench(configuration)
        #expect(result.exchanges > 0)
        #expect(result.errorCount == 0, "\(result.errors) \(result.invalidExamples)")
    }

    @Test("a wrong answer is counted as invalid, with examples from the judge")
    func wrongServer() async throws {
        var faults = Faults()
        faults.respond = { _, _ in Array("99".utf8) }  // bare allows 10...20
        let server = try FaultyServer.start(ProfileParameters(profile: .bare), faults: faults)
        defer { server.stop() }
        let configuration = BenchConfiguration(
            target: server.endpoint, parameters: ProfileParameters(profile: .bare), connections: 4, duration: .milliseconds(500), threads: 1)
        let (result, _) = try await bench(configuration)
        #expect(result.exchanges == 0)
        #expect(result.errors(.invalid) > 0)
        let example = try #require(result.invalidExamples.first)
        #expect(example.contains("99") && example.contains("BARE-1"), "\(example)")
        #expect(result.invalidExamples.count <= 5)
    }

    @Test("a trailing LF is only a SHOULD: still a valid exchange")
    func trailingLineFeedIsValid() async throws {
        var faults = Faults()
        faults.trailer = [0x0A]
        let server = try FaultyServer.start(ProfileParameters(profile: .csv), faults: faults)
        defer { server.stop() }
        let configuration = BenchConfiguration(
            target: server.endpoint, parameters: ProfileParameters(profile: .csv), connections: 2, duration: .milliseconds(300), threads: 1)
        let (result, _) = try await bench(configuration)
        #expect(result.exchanges > 0)
        #expect(result.errorCount == 0, "\(result.errors) \(result.invalidExamples)")
    }

    @Test("an answer over 1024 bytes is counted as cap")
    func overCap() async throws {
        var faults = Faults()
        faults.respond = { _, _ in [UInt8](repeating: UInt8(ascii: "1"), count: 2000) }
        let server = try FaultyServer.start(ProfileParameters(profile: .bare), faults: faults)
        defer { server.stop() }
        let configuration = BenchConfiguration(
            target: server.endpoint, parameters: ProfileParameters(profile: .bare), connections: 2, duration: .milliseconds(300), threads: 1)
        let (result, _) = try await bench(configuration)
        #expect(result.errors(.cap) > 0)
        #expect(result.exchanges == 0)
    }

    @Test("a closed port: refusals are counted and the run still ends at its deadline")
    func closedPort() async throws {
        try await withClosedPort { port in
            let configuration = BenchConfiguration(
                target: Endpoint(host: "127.0.0.1", port: port), parameters: ProfileParameters(profile: .bare), connections: 16,
                duration: .milliseconds(500), threads: 2)
            let (result, elapsed) = try await bench(configuration)
            #expect(result.exchanges == 0)
            #expect(result.errors(.refused) > 0)
            #expect(result.everyConnectionRefused)
            #expect(elapsed < .milliseconds(1500), "took \(elapsed)")
        }
    }

    @Test("a server that never answers: exchanges time out and the run is bounded")
    func silentServer() async throws {
        // A listener nobody accepts on: the kernel completes the handshakes, no byte ever comes.
        let listener = try Listener.bind(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let configuration = BenchConfiguration(
            target: Endpoint(host: "127.0.0.1", port: listener.address.port), parameters: ProfileParameters(profile: .bare),
            connections: 4, duration: .milliseconds(600), threads: 1, exchangeTimeout: .milliseconds(200), grace: .milliseconds(200))
        let (result, elapsed) = try await bench(configuration)
        #expect(result.exchanges == 0)
        #expect(result.errors(.timeout) > 0)
        #expect(elapsed < .milliseconds(1500), "took \(elapsed)")
        #expect(result.latency.maxMs >= 200)
    }

    @Test("a 2,000-connection burst against the reference server: zero errors")
    func burst() async throws {
        let server = try referenceServer(.bare)
        defer { server.stop() }
        let configuration = BenchConfiguration(
            target: server.endpoint, parameters: ProfileParameters(profile: .bare), connections: 2000, duration: .seconds(1),
            threads: 2, grace: .seconds(2))
        let (result, elapsed) = try await bench(configuration)
        #expect(result.exchanges >= 2000, "\(result.exchanges) exchanges")
        #expect(result.errorCount == 0, "\(result.errors)")
        #expect(result.unfinished == 0)
        #expect(elapsed < .seconds(10))
    }
}
