import Testing
import RandWireConformance
import RandWireProtocol
import RandWireServer
import RandWireSocket

@Suite("The reference server against the full suite", .serialized, .timeLimit(.minutes(2)))
struct ReferenceServerConformanceTests {
    @Test("the reference server passes every check with default parameters", arguments: Profile.allCases)
    func referenceServer(profile: Profile) async throws {
        var serverConfiguration = ServerConfiguration(parameters: profile.defaultParameters)
        serverConfiguration.connectionTimeout = .seconds(2)
        let server = try ReferenceServer.start(serverConfiguration)
        defer { server.stop() }
        var configuration = RunConfiguration(target: server.endpoint, parameters: profile.defaultParameters, fixtures: try FixtureLoader.builtIn())
        configuration.connectionDeadlineLimit = .seconds(4)
        let report = await ConformanceRunner.runAsync(configuration)
        #expect(report.conformant == true, "\(profile):\n\(report.digest)")
        #expect(report.failing.isEmpty && report.warning.isEmpty, "\(report.digest)")
        #expect(report.summary.notJudged == 0, "\(report.digest)")
        #expect(report.summary.passed + report.summary.skipped == report.results.count)
    }

    @Test("the reference server passes with custom tokens, same-length mode and a custom range")
    func customParameters() async throws {
        var parity = ProfileParameters(profile: .parity)
        parity.tokens = try Tokens.parse("even= PAR ,odd= ÍMPAR ,error=ERRO")
        parity.tooLongMode = .sameLength
        let csv = try ProfileParameters(profile: .csv, min: -5, max: 5, count: 25)
        for parameters in [parity, csv] {
            var serverConfiguration = ServerConfiguration(parameters: parameters)
            serverConfiguration.connectionTimeout = .seconds(2)
            let server = try ReferenceServer.start(serverConfiguration)
            defer { server.stop() }
            let configuration = RunConfiguration(target: server.endpoint, parameters: parameters, fixtures: try FixtureLoader.builtIn())
            let report = await ConformanceRunner.runAsync(configuration)
            #expect(report.conformant == true && report.warning.isEmpty, "\(parameters.profile):\n\(report.digest)")
            #expect(report.verdict == .conformant)
        }
    }

    @Test("the same server judged with the wrong tokens fails exactly the token cases")
    func wrongTokens() async throws {
        let server = try ReferenceServer.start(ServerConfiguration(parameters: ProfileParameters(profile: .parity)))
        defer { server.stop() }
        var parameters = ProfileParameters(profile: .parity)
        parameters.tokens.even = "PAR"
        var configuration = RunConfiguration(target: server.endpoint, parameters: parameters, fixtures: try FixtureLoader.builtIn())
        configuration.only = ["parity.even", "parity.odd", "parity.zero"]
        let report = await ConformanceRunner.runAsync(configuration)
        #expect(Set(report.failing) == ["parity.even", "parity.zero"], "\(report.digest)")
        #expect(report.requirementsFailed() == ["PARITY-1"])
    }
}
