import RandWireProtocol

/// The checks written in code (the rest come from `Fixtures/`). IDs are stable: graders put
/// them in rubrics and known-failure lists.
package enum BuiltinChecks {
    static let allProfiles = Profile.allCases
    static let requestProfiles: [Profile] = [.request, .parity, .double]
    static let randomProfiles: [Profile] = [.bare, .csv, .request]

    package static let basic = CheckDefinition(
        id: "basic.exchange", title: "A normal exchange is answered as the profile requires",
        level: .must, requirements: ["CORE-1", "CORE-8", "CORE-10", "BARE-1", "CSV-1", "CSV-2", "REQ-1", "PARITY-1", "DOUBLE-1"],
        profiles: allProfiles)
    package static let close = CheckDefinition(
        id: "lifecycle.close", title: "The server closes the connection after its response",
        level: .must, requirements: ["CORE-3"], profiles: allProfiles)
    package static let keepsServing = CheckDefinition(
        id: "lifecycle.keeps-serving", title: "The server keeps serving new connections after an exchange",
        level: .must, requirements: ["CORE-9", "CORE-2"], profiles: allProfiles)
    package static let singleWrite = CheckDefinition(
        id: "format.single-write", title: "The response arrives in one read (one write)",
        level: .should, requirements: ["CORE-5"], profiles: allProfiles)
    package static let noTrailingNewline = CheckDefinition(
        id: "format.no-trailing-newline", title: "Responses carry no trailing LF or CRLF",
        level: .should, requirements: ["CORE-6"], profiles: allProfiles)
    package static let sampleFormat = CheckDefinition(
        id: "sample.format", title: "Every sampled response is well-formed and in range",
        level: .must, requirements: ["CORE-4", "CORE-10", "BARE-1", "CSV-1", "CSV-2", "REQ-1"], profiles: randomProfiles)
    package static let idleClient = CheckDefinition(
        id: "concurrency.idle-client", title: "An idle client does not delay another client's answer",
        level: .should, requirements: ["ROBUST-2"], profiles: allProfiles)
    package static let connectionDeadline = CheckDefinition(
        id: "limit.connection-deadline", title: "A connection that never sends a request is closed within 10 s",
        level: .should, requirements: ["LIMIT-2"], profiles: requestProfiles)

    package static let uniformity = CheckDefinition(
        id: "random.uniformity", title: "Values are uniform over [min, max] (chi-square)",
        level: .must, requirements: ["RAND-1"], profiles: randomProfiles)
    package static let endpoints = CheckDefinition(
        id: "random.endpoints", title: "Both ends of the range are reached",
        level: .must, requirements: ["RAND-1"], profiles: randomProfiles)
    package static let serialCorrelation = CheckDefinition(
        id: "random.serial-correlation", title: "Consecutive values are uncorrelated (lag-1)",
        level: .must, requirements: ["RAND-2"], profiles: randomProfiles)
    package static let adjacentRepeats = CheckDefinition(
        id: "random.adjacent-repeats", title: "Consecutive connections repeat a value no more than chance predicts",
        level: .must, requirements: ["RAND-3", "RAND-2"], profiles: randomProfiles)
    package static let longestRun = CheckDefinition(
        id: "random.longest-run", title: "No run of one value longer than chance allows (clock re-seeding)",
        level: .must, requirements: ["RAND-3"], profiles: randomProfiles)
    package static let batchDuplicates = CheckDefinition(
        id: "random.batch-duplicates", title: "Duplicates within batches occur as often as independent draws predict",
        level: .must, requirements: ["CSV-3", "RAND-2"], profiles: [.csv])
    package static let batchSorted = CheckDefinition(
        id: "random.batch-sorted", title: "Batches are not sorted",
        level: .must, requirements: ["CSV-3", "RAND-2"], profiles: [.csv])
    package static let positions = CheckDefinition(
        id: "random.position-exchangeability", title: "Every position in a batch has the same distribution",
        level: .must, requirements: ["CSV-3", "RAND-2"], profiles: [.csv])
    package static let identicalBatches = CheckDefinition(
        id: "random.identical-batches", title: "No batch is repeated",
        level: .must, requirements: ["RAND-3"], profiles: [.csv])

    /// Drops the other profiles' requirement IDs from a check shared by all profiles.
    package static func specialise(_ definition: CheckDefinition, for profile: Profile) -> CheckDefinition {
        let prefixes = Profile.allCases.map { $0.requirementPrefix + "-" }
        let own = profile.requirementPrefix + "-"
        let requirements = definition.requirements.filter { id in id.hasPrefix(own) || !prefixes.contains { id.hasPrefix($0) } }
        return CheckDefinition(id: definition.id, title: definition.title, level: definition.level,
                               requirements: requirements, profiles: definition.profiles, origin: definition.origin)
    }

    package static let all: [CheckDefinition] = [
        basic, close, keepsServing, singleWrite, noTrailingNewline, sampleFormat, idleClient, connectionDeadline,
        uniformity, endpoints, serialCorrelation, adjacentRepeats, longestRun,
        batchDuplicates, batchSorted, positions, identicalBatches,
    ]
}

/// Every check for a profile: built-in ones and fixtures, in the order `--list` shows them.
package struct Catalog: Sendable {
    package let profile: Profile
    package let builtins: [CheckDefinition]
    package let fixtures: [Fixture]

    package init(profile: Profile, fixtures: [Fixture]) {
        self.profile = profile
        self.builtins = BuiltinChecks.all.filter { $0.profiles.contains(profile) }.map { BuiltinChecks.specialise($0, for: profile) }
        self.fixtures = fixtures.filter { $0.profiles.contains(profile) }
    }

    package var definitions: [CheckDefinition] { builtins + fixtures.map(\.definition) }

    /// Whether a selector (a check ID, a glob like `parity.*`, or a requirement ID like
    /// `PARITY-1`) names this check.
    package static func selector(_ selector: String, matches definition: CheckDefinition) -> Bool {
        if selector == definition.id || definition.requirements.contains(selector) { return true }
        if selector.hasSuffix("*") { return definition.id.hasPrefix(String(selector.dropLast())) }
        return false
    }

    /// Selectors that name no check of this profile: a usage error, never "0 checks, exit 0".
    package func unknownSelectors(_ selectors: [String]) -> [String] {
        selectors.filter { selector in !definitions.contains { Self.selector(selector, matches: $0) } }
    }

    /// Whether a check runs under `--only` / `--skip`.
    package static func isSelected(_ definition: CheckDefinition, only: [String], skip: [String]) -> Bool {
        if !only.isEmpty && !only.contains(where: { selector($0, matches: definition) }) { return false }
        return !skip.contains { selector($0, matches: definition) }
    }
}
