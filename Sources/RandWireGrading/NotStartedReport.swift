import Foundation
import RandWireConformance
import RandWireProtocol
import RandWireSocket

/// The report of a server that never started: every check of its profile not judged, so every
/// format lists them and the student scores 0 of the full points.
enum NotStartedReport {
    /// `RunReport`'s fields, encoded and decoded back: the report type has no public
    /// memberwise initialiser, and its JSON form is a documented, versioned contract.
    struct Mirror: Encodable {
        let schemaVersion = RunReport.schemaVersion
        let tool = "randwire"
        let toolVersion = RandWireVersion.current
        let target: String
        let profile: Profile
        let parameters: ProfileParameters
        let strict: Bool
        let seed: UInt64
        let startedAt: String
        let durationMilliseconds: Double
        let unreachable = true
        let results: [CheckResult]
        let summary: RunSummary
        let conformant = false
        let warnings: [String]
    }

    static func make(entry: RosterEntry, launch: LaunchRecord, configuration: GradingConfiguration, duration: Duration) -> RunReport {
        let catalog = Catalog(profile: entry.profile, fixtures: configuration.fixtures)
        let reason = "not judged: the server did not start (\(launch.startup))"
        let results = catalog.definitions.map { CheckResult(definition: $0, status: .notJudged, message: reason) }
        let target = launch.port == 0 ? launch.command : Endpoint(host: "127.0.0.1", port: launch.port).description
        let mirror = Mirror(
            target: target, profile: entry.profile, parameters: entry.parameters, strict: configuration.strict,
            seed: configuration.seed, startedAt: ISO8601DateFormatter().string(from: Date()),
            durationMilliseconds: Seconds.seconds(duration) * 1000, results: results,
            summary: RunSummary(results: results), warnings: [])
        if let data = try? JSONEncoder().encode(mirror), let report = try? JSONDecoder().decode(RunReport.self, from: data) {
            return report
        }
        // Only if RunReport's shape ever drifts from the mirror: let the runner itself report
        // the (now closed) port as unreachable.
        var fallback = configuration.runConfiguration(for: entry, target: Endpoint(host: "127.0.0.1", port: max(1, launch.port)))
        fallback.connectTimeout = .milliseconds(200)
        return ConformanceRunner(configuration: fallback).run()
    }
}
