import RandWireConformance
import RandWireProtocol
import RandWireSocket
import RandWireTestSupport

/// Runs the suite against a fault-injected server with small, fast settings.
func checkFaulty(_ profile: Profile, _ faults: Faults = Faults(), parameters: ProfileParameters? = nil,
                 only: [String] = [], configure: (inout RunConfiguration) -> Void = { _ in }) async throws -> RunReport {
    let parameters = parameters ?? profile.defaultParameters
    let server = try FaultyServer.start(parameters, faults: faults)
    defer { server.stop() }
    var configuration = RunConfiguration(target: server.endpoint, parameters: parameters, fixtures: try FixtureLoader.builtIn())
    configuration.samples = profile == .request ? 1500 : 800
    configuration.parallelism = 8
    configuration.only = only
    configuration.answerTimeout = .seconds(1)
    configuration.connectionDeadlineLimit = .seconds(3)
    configure(&configuration)
    return await ConformanceRunner.runAsync(configuration)
}

extension RunReport {
    func status(_ id: String) -> CheckStatus? { results.first { $0.id == id }?.status }
    var failing: [String] { results.filter { $0.status == .fail }.map(\.id) }
    var warning: [String] { results.filter { $0.status == .warn }.map(\.id) }
    func requirementsFailed() -> Set<String> {
        Set(results.filter { $0.status == .fail || $0.status == .warn }.flatMap { $0.findings.map(\.requirement) })
    }
    var digest: String {
        results.filter { $0.status != .pass && $0.status != .skip }.map { "\($0.id)=\($0.status.rawValue): \($0.message)" }.joined(separator: "\n")
    }
}
