import Foundation
import Testing
import RandWireClient
import RandWireProtocol
import RandWireServer
import RandWireSocket
import RandWireTestSupport

/// Interop with the seed programs as they really behave (Python replicas under
/// Tests/SeedPrograms): each seed's client against our reference server, and our reference
/// client against each seed's server. Fresh ports only; every process stops by itself.
@Suite("Interop with the seed programs", .timeLimit(.minutes(2)), .enabled(if: SeedPrograms.pythonAvailable))
struct SeedInteropTests {
    private func serve(_ parameters: ProfileParameters) throws -> ReferenceServer {
        try ReferenceServer.start(ServerConfiguration(parameters: parameters))
    }

    private func runClient(_ name: String, _ arguments: [String], stdin: String? = nil) async throws -> (exitCode: Int32, stdout: String, stderr: String) {
        try await BlockingPool.run { try SeedPrograms.runClient(name, arguments: arguments, stdin: stdin, timeout: .seconds(20), environment: ["SEED_CLIENT_TIMEOUT": "5"]) }
    }

    private func lines(_ text: String) -> [String] { text.split(whereSeparator: \.isNewline).map(String.init) }

    // MARK: Seed clients against the reference server

    @Test("BARE-1: seed 000's client prints a number in 10...20 from our bare server")
    func seed000Client() async throws {
        let server = try serve(ProfileParameters(profile: .bare))
        defer { server.stop() }
        for _ in 0..<5 {
            let run = try await runClient("seed000_client", ["127.0.0.1", String(server.endpoint.port)])
            #expect(run.exitCode == 0, "\(run.stderr)")
            let value = try #require(Int(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect((10...20).contains(value))
        }
    }

    @Test("REQ-1, FRAME-3: seed 001's client (one unterminated write, one recv) gets a number")
    func seed001Client() async throws {
        let server = try serve(ProfileParameters(profile: .request))
        defer { server.stop() }
        let run = try await runClient("seed001_client", ["127.0.0.1", String(server.endpoint.port)])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let line = try #require(lines(run.stdout).first)
        #expect(line.hasPrefix("Received "))
        let value = try #require(Int(line.dropFirst("Received ".count)))
        #expect((1...10_000).contains(value))
    }

    @Test("CSV-1: seed 002's client splits our batch into 10 values in 1...100")
    func seed002Client() async throws {
        let server = try serve(ProfileParameters(profile: .csv))
        defer { server.stop() }
        let run = try await runClient("seed002_client", ["127.0.0.1", String(server.endpoint.port)])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let values = run.stdout.filter { $0.isNumber || $0 == "," }.split(separator: ",").compactMap { Int($0) }
        #expect(values.count == 10, "\(run.stdout)")
        #expect(values.allSatisfy { (1...100).contains($0) })
    }

    @Test("DOUBLE-1, DOUBLE-2, DOUBLE-4: seed 003's client spreads requests over three of our double servers")
    func seed003Client() async throws {
        var parameters = ProfileParameters(profile: .double)
        parameters.tokens.error = "Received data is not valid integer"
        let servers = try (0..<3).map { _ in try serve(parameters) }
        defer { servers.forEach { $0.stop() } }
        let ports = servers.map { String($0.endpoint.port) }.joined(separator: ",")
        let requests = ["21", "-4", "abc", "123456789012345678901234567890", "7", "8", "9", "10", "11", "12"]
        let run = try await runClient("seed003_client", ["--ports", ports], stdin: requests.joined(separator: "\n") + "\nexit\n")
        #expect(run.exitCode == 0, "\(run.stderr)")
        let answers = lines(run.stdout).compactMap { line in line.range(of: "Received from server: ").map { String(line[$0.upperBound...]) } }
        #expect(answers == ["42", "-8", "Received data is not valid integer", "246913578024691357802469135780", "14", "16", "18", "20", "22", "24"])
        let used = Set(lines(run.stdout).compactMap { line in line.range(of: "connected to Server 127.0.0.1:").map { String(line[$0.upperBound...]) } })
        #expect(used.count >= 2, "ten random picks among three servers should reach at least two: \(used)")
        #expect(!run.stdout.contains("Failed to connect"))
    }

    @Test("PARITY-2: seed 004's client (30 digits) gets a same-length answer from our parity server")
    func seed004Client() async throws {
        var parameters = ProfileParameters(profile: .parity)
        parameters.tokens = try Tokens.parse("even= PAR ,odd= ÍMPAR ")
        parameters.tooLongMode = .sameLength
        let server = try serve(parameters)
        defer { server.stop() }
        let run = try await runClient("seed004_client", ["127.0.0.1", String(server.endpoint.port), "--once"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let output = lines(run.stdout)
        #expect(output.count == 2, "\(run.stdout)")
        #expect(output.first?.utf8.count == 30)
        #expect(output.last == "FIM -")
    }

    // MARK: The reference client against seed servers

    private func exchange(_ parameters: ProfileParameters, _ endpoints: [Endpoint], request: String?, terminator: RequestTerminator = .halfClose) async throws -> ExchangeResult {
        var options = ClientOptions()
        options.requestTerminator = terminator
        let client = ReferenceClient(parameters: parameters, options: options)
        return try await client.exchange(withAnyOf: endpoints, request: request.map { Array($0.utf8) })
    }

    private func endpoint(_ server: SeedServer) -> Endpoint { Endpoint(host: server.host, port: server.port) }

    @Test("CLIENT-1: our client reads seed 000's number up to its close")
    func clientAgainstSeed000() async throws {
        try await SeedPrograms.withServer("seed000_server") { seed in
            let result = try await exchange(ProfileParameters(profile: .bare), [endpoint(seed)], request: nil)
            #expect(result.endedBy == .eof)
            #expect(result.judgement.isStrictlyClean)
        }
    }

    @Test("CLIENT-2: seed 001 never closes; our client ends the answer at the quiet time and says so")
    func clientAgainstSeed001() async throws {
        try await SeedPrograms.withServer("seed001_server") { seed in
            let result = try await exchange(ProfileParameters(profile: .request), [endpoint(seed)], request: "Example request", terminator: .none)
            #expect(result.endedBy == .quiet)
            #expect(result.judgement.isStrictlyClean)
            if case let .numbers(values)? = result.judgement.value { #expect((1...10_000).contains(values[0])) }
        }
    }

    @Test("CSV-1: our client parses seed 002's batch")
    func clientAgainstSeed002() async throws {
        try await SeedPrograms.withServer("seed002_server") { seed in
            let result = try await exchange(ProfileParameters(profile: .csv), [endpoint(seed)], request: nil)
            #expect(result.endedBy == .eof)
            guard case let .numbers(values)? = result.judgement.value else {
                Issue.record("no batch: \(result.judgement.findings)")
                return
            }
            #expect(values.count == 10)
        }
    }

    @Test("DOUBLE-4: our client fails over from two dead endpoints to seed 003, which never closes")
    func clientAgainstSeed003() async throws {
        try await SeedPrograms.withServer("seed003_server", arguments: ["1"]) { seed in
            let dead = try (0..<2).map { _ -> Endpoint in
                let listener = try Listener.bind(host: "127.0.0.1", port: 0)
                defer { listener.close() }
                return Endpoint(host: "127.0.0.1", port: listener.address.port)
            }
            var parameters = ProfileParameters(profile: .double)
            parameters.tokens.error = "Received data is not valid integer"
            for (request, answer) in [("21", "42"), ("-4", "-8"), ("abc", "Received data is not valid integer")] {
                let result = try await exchange(parameters, dead + [endpoint(seed)], request: request)
                #expect(result.endpoint == endpoint(seed))
                #expect(result.endedBy == .quiet)
                #expect(result.judgement.value == .text(answer))
                #expect(result.judgement.isStrictlyClean)
            }
        }
    }

    @Test("PARITY-5: seed 004's words are judged by passing them as tokens")
    func clientAgainstSeed004() async throws {
        try await SeedPrograms.withServer("seed004_server") { seed in
            var parameters = ProfileParameters(profile: .parity)
            parameters.tokens = try Tokens.parse("even= PAR ,odd= ÍMPAR ")
            for (request, word) in [("42", " PAR "), ("7", " ÍMPAR "), ("-3", " ÍMPAR ")] {
                let result = try await exchange(parameters, [endpoint(seed)], request: request)
                #expect(result.judgement.value == .text(word))
                #expect(result.judgement.isStrictlyClean, "\(result.judgement.findings)")
            }
            await #expect(throws: ClientError.self) {
                _ = try await exchange(parameters, [endpoint(seed)], request: "12345678901")
            }
        }
    }
}
