#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireConformance
import RandWireProtocol
import RandWireSocket

/// The report of a server that never started: every check of its profile not judged, so every
/// format lists them and the student scores 0 of the full points.
enum NotStartedReport {
    static func make(entry: RosterEntry, launch: LaunchRecord, configuration: GradingConfiguration, duration: Duration) -> RunReport {
        let catalog = Catalog(profile: entry.profile, fixtures: configuration.fixtures)
        let reason = "not judged: the server did not start (\(launch.startup))"
        let results = catalog.definitions.map { CheckResult(definition: $0, status: .notJudged, message: reason) }
        let target = launch.port == 0 ? launch.command : Endpoint(host: "127.0.0.1", port: launch.port).description
        return RunReport(
            target: target, profile: entry.profile, parameters: entry.parameters, strict: configuration.strict,
            seed: configuration.seed, startedAt: Date.now.formatted(.iso8601),
            durationMilliseconds: duration.inMilliseconds, results: results,
            assessment: VerdictAssessment(verdict: .unreachable, reason: "nothing was judged: the server did not start (\(launch.startup))"),
            warnings: [])
    }
}
