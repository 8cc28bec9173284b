import RandWireProtocol
import RandWireStatistics

/// The outcome vocabulary of every report format (section 11 of the spec).
package enum CheckStatus: String, Sendable, Codable, CaseIterable {
    /// The server did what the requirements ask.
    case pass
    /// A MUST check failed (or a SHOULD check under `--strict`).
    case fail
    /// A SHOULD check failed without `--strict`: conformant, but worth fixing.
    case warn
    /// Not applicable to this profile or parameters, or deselected with `--only` / `--skip`.
    case skip
    /// Could not be judged: the server stopped accepting, or the run hit its deadline.
    case notJudged = "not-judged"
}

/// A check as `randwire check --list` shows it.
package struct CheckDefinition: Sendable, Hashable, Codable {
    /// Stable ID, e.g. `lifecycle.close` or `parity.eleven-digits`. Never renumbered.
    package let id: String
    package let title: String
    package let level: RequirementLevel
    package let requirements: [String]
    /// Profiles the check applies to.
    package let profiles: [Profile]
    /// Where the check comes from: `builtin` or the fixture file name.
    package let origin: String

    package init(id: String, title: String, level: RequirementLevel, requirements: [String], profiles: [Profile], origin: String = "builtin") {
        self.id = id
        self.title = title
        self.level = level
        self.requirements = requirements
        self.profiles = profiles
        self.origin = origin
    }

    /// The spec section a report groups this check under: the section of its first requirement.
    package var section: String {
        requirements.first.flatMap { Requirements.requirement($0)?.section } ?? "0"
    }
}

/// One thing that happened on a connection, with its time since the connection started.
/// Bytes are kept raw and escaped only when a report is written: the sampling phase records
/// thousands of events and reads few of them.
package struct TranscriptEvent: Sendable, Hashable, Codable {
    package enum Kind: String, Sendable, Codable {
        case connect, sent, received, halfClose = "half-close", eof, reset, timeout, close, abort, note, error
    }

    package let atMilliseconds: Double
    package let kind: Kind
    private let note: String?
    private let bytes: [UInt8]?

    /// How many bytes crossed the wire; only the first 4096 are kept.
    private let byteCount: Int?

    package init(atMilliseconds: Double, kind: Kind, text: String? = nil, bytes: [UInt8]? = nil) {
        self.atMilliseconds = atMilliseconds
        self.kind = kind
        self.note = bytes == nil ? text : nil
        self.bytes = bytes.map { Array($0.prefix(4096)) }
        self.byteCount = bytes?.count
    }

    /// The bytes, escaped so LF and binary are visible (`"15\n"`), or a note.
    package var text: String? { bytes.map { ByteEscaping.escape($0, limit: 2048) } ?? note }

    /// The bytes as people read them in reports: runs folded, long strings cut to both ends.
    package var displayText: String? {
        guard let bytes else { return note }
        let shown = ByteEscaping.escape(bytes, limit: 120)
        guard let byteCount, byteCount > bytes.count else { return shown }
        return shown + " (\(byteCount) bytes in all; the first \(bytes.count) kept)"
    }
    /// The bytes in hex, so a verdict can be recomputed offline.
    package var hex: String? { bytes.map { Transcript.hex($0) } }

    enum CodingKeys: String, CodingKey { case atMilliseconds, kind, text, hex }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        atMilliseconds = try container.decode(Double.self, forKey: .atMilliseconds)
        kind = try container.decode(Kind.self, forKey: .kind)
        if let hex = try container.decodeIfPresent(String.self, forKey: .hex), let decoded = Transcript.bytes(fromHex: hex) {
            bytes = decoded
            byteCount = decoded.count
            note = nil
        } else {
            bytes = nil
            byteCount = nil
            note = try container.decodeIfPresent(String.self, forKey: .text)
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(atMilliseconds, forKey: .atMilliseconds)
        try container.encode(kind, forKey: .kind)
        try container.encodeIfPresent(text, forKey: .text)
        try container.encodeIfPresent(hex, forKey: .hex)
    }
}

/// Everything that crossed one connection (Autobahn's wirelog, in short).
package struct Transcript: Sendable, Hashable, Codable {
    package var localPort: UInt16?
    package var events: [TranscriptEvent]

    package init(localPort: UInt16? = nil, events: [TranscriptEvent] = []) {
        self.localPort = localPort
        self.events = events
    }

    static func bytes(fromHex text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case 0x30...0x39: digit - 0x30
            case 0x61...0x66: digit - 0x61 + 10
            case 0x41...0x46: digit - 0x41 + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    static func hex(_ bytes: some Collection<UInt8>) -> String {
        let digits = Array("0123456789abcdef")
        var out = ""
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return out
    }

    /// All bytes sent, write by write, as reports show them.
    package var sentText: String { events.filter { $0.kind == .sent }.compactMap(\.displayText).joined(separator: " + ") }
    /// All bytes received, read by read, as reports show them.
    package var receivedText: String {
        let parts = events.filter { $0.kind == .received }.compactMap(\.displayText)
        return parts.isEmpty ? "nothing" : parts.joined(separator: " + ")
    }
}

/// The verdict on one check, with its evidence.
package struct CheckResult: Sendable, Codable {
    package let id: String
    package let title: String
    package let level: RequirementLevel
    package let requirements: [String]
    package let section: String
    package var status: CheckStatus
    /// One line: what happened.
    package var message: String
    /// What the spec required, one line.
    package var expected: String?
    /// Each deviation found, with its requirement.
    package var findings: [Finding]
    package var transcripts: [Transcript]
    package var statistics: [StatResult]
    /// Raw samples of statistical checks, so the verdict can be recomputed offline.
    package var samples: [[Int]]?
    package var durationMilliseconds: Double
    /// Listed in `--known-failures`: still run and reported, but does not fail the run.
    package var knownFailure: Bool
    /// Every finding of this failed check is an echo of a fault an earlier check showed: this
    /// names that check (the root cause). Reports show it under its root and count it once.
    package var consequenceOf: String?
    /// Not judged for a reason on the checker's side (its run deadline, a `--samples` too small,
    /// a machine too busy to time a request), not the target's: the rubric prices it 0 of 0.
    package var checkerLimited: Bool?

    /// A check of a client program (`check-client`): the checker played the server, so what it
    /// sent was served to the client. Client check IDs are `client.*` (Fixtures/README.md).
    package var judgesClient: Bool { id.hasPrefix("client.") }

    package init(definition: CheckDefinition, status: CheckStatus, message: String, expected: String? = nil,
                findings: [Finding] = [], transcripts: [Transcript] = [], statistics: [StatResult] = [],
                samples: [[Int]]? = nil, durationMilliseconds: Double = 0) {
        self.id = definition.id
        self.title = definition.title
        self.level = definition.level
        self.requirements = definition.requirements
        self.section = definition.section
        self.status = status
        self.message = message
        self.expected = expected
        self.findings = findings
        self.transcripts = transcripts
        self.statistics = statistics
        self.samples = samples
        self.durationMilliseconds = durationMilliseconds
        self.knownFailure = false
    }
}

/// Counts for the summary line `N passed, N failed, N skipped`.
package struct RunSummary: Sendable, Codable, Hashable {
    package var passed = 0
    package var failed = 0
    package var warnings = 0
    package var skipped = 0
    package var notJudged = 0
    package var knownFailures = 0
    /// Failed checks that only echo an earlier check's fault (not in `failed`).
    package var consequences = 0

    package init(results: [CheckResult]) {
        for result in results {
            switch result.status {
            case .pass: passed += 1
            case .fail where result.knownFailure: knownFailures += 1
            case .fail where result.consequenceOf != nil: consequences += 1
            case .fail: failed += 1
            case .warn: warnings += 1
            case .skip: skipped += 1
            case .notJudged: notJudged += 1
            }
        }
    }
}

/// The whole run: the JSON report's root (schema documented in `Spec/report.schema.json`).
package struct RunReport: Sendable, Codable {
    package static let schemaVersion = 1

    package var schemaVersion: Int = RunReport.schemaVersion
    package var tool: String = "randwire"
    package var toolVersion: String = RandWireVersion.current
    package var target: String
    package var profile: Profile
    package var parameters: ProfileParameters
    package var strict: Bool
    package var seed: UInt64
    package var startedAt: String
    package var durationMilliseconds: Double
    /// True when the target could not be reached at all: nothing was judged (exit 69).
    package var unreachable: Bool
    package var results: [CheckResult]
    package var summary: RunSummary
    /// True only for the `conformant` verdict: every applicable required check judged and passed
    /// (all MUSTs; with `--strict`, SHOULDs too), on a run neither narrowed nor excused.
    package var conformant: Bool
    /// What the run may claim, shown first in every format (spec section 11).
    package var verdict: Verdict
    /// Why the verdict is what it is: the checks that decided it.
    package var verdictReason: String
    package var warnings: [String]

    package init(target: String, profile: Profile, parameters: ProfileParameters, strict: Bool, seed: UInt64,
                startedAt: String, durationMilliseconds: Double, results: [CheckResult], assessment: VerdictAssessment,
                warnings: [String]) {
        self.target = target
        self.profile = profile
        self.parameters = parameters
        self.strict = strict
        self.seed = seed
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
        self.unreachable = assessment.verdict == .unreachable
        self.results = results
        self.summary = RunSummary(results: results)
        self.conformant = assessment.verdict == .conformant
        self.verdict = assessment.verdict
        self.verdictReason = assessment.reason
        self.warnings = warnings
    }

    /// 0 conformant or passed, 1 a required check failed, 3 incomplete, 69 unreachable.
    package var exitCode: Int32 { verdict.exitCode }
}

package enum RandWireVersion {
    package static let current = "1.0.0"
}
