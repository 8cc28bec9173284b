import RandWireProtocol
import RandWireStatistics

/// The outcome vocabulary of every report format (section 11 of the spec).
public enum CheckStatus: String, Sendable, Codable, CaseIterable {
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
public struct CheckDefinition: Sendable, Hashable, Codable {
    /// Stable ID, e.g. `lifecycle.close` or `parity.eleven-digits`. Never renumbered.
    public let id: String
    public let title: String
    public let level: RequirementLevel
    public let requirements: [String]
    /// Profiles the check applies to.
    public let profiles: [Profile]
    /// Where the check comes from: `builtin` or the fixture file name.
    public let origin: String

    public init(id: String, title: String, level: RequirementLevel, requirements: [String], profiles: [Profile], origin: String = "builtin") {
        self.id = id
        self.title = title
        self.level = level
        self.requirements = requirements
        self.profiles = profiles
        self.origin = origin
    }

    /// The spec section a report groups this check under: the section of its first requirement.
    public var section: String {
        requirements.first.flatMap { Requirements.requirement($0)?.section } ?? "0"
    }
}

/// One thing that happened on a connection, with its time since the connection started.
/// Bytes are kept raw and escaped only when a report is written: the sampling phase records
/// thousands of events and reads few of them.
public struct TranscriptEvent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        case connect, sent, received, halfClose = "half-close", eof, reset, timeout, close, abort, note, error
    }

    public let atMilliseconds: Double
    public let kind: Kind
    private let note: String?
    private let bytes: [UInt8]?

    /// How many bytes crossed the wire; only the first 4096 are kept.
    private let byteCount: Int?

    public init(atMilliseconds: Double, kind: Kind, text: String? = nil, bytes: [UInt8]? = nil) {
        self.atMilliseconds = atMilliseconds
        self.kind = kind
        self.note = bytes == nil ? text : nil
        self.bytes = bytes.map { Array($0.prefix(4096)) }
        self.byteCount = bytes?.count
    }

    /// The bytes, escaped so LF and binary are visible (`"15\n"`), or a note.
    public var text: String? { bytes.map { ByteEscaping.escape($0, limit: 2048) } ?? note }

    /// The bytes as people read them in reports: runs folded, long strings cut to both ends.
    public var displayText: String? {
        guard let bytes else { return note }
        let shown = ByteEscaping.escape(bytes, limit: 120)
        guard let byteCount, byteCount > bytes.count else { return shown }
        return shown + " (\(byteCount) bytes in all; the first \(bytes.count) kept)"
    }
    /// The bytes in hex, so a verdict can be recomputed offline.
    public var hex: String? { bytes.map { Transcript.hex($0) } }

    enum CodingKeys: String, CodingKey { case atMilliseconds, kind, text, hex }

    public init(from decoder: any Decoder) throws {
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

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(atMilliseconds, forKey: .atMilliseconds)
        try container.encode(kind, forKey: .kind)
        try container.encodeIfPresent(text, forKey: .text)
        try container.encodeIfPresent(hex, forKey: .hex)
    }
}

/// Everything that crossed one connection (Autobahn's wirelog, in short).
public struct Transcript: Sendable, Hashable, Codable {
    public var localPort: UInt16?
    public var events: [TranscriptEvent]

    public init(localPort: UInt16? = nil, events: [TranscriptEvent] = []) {
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
    public var sentText: String { events.filter { $0.kind == .sent }.compactMap(\.displayText).joined(separator: " + ") }
    /// All bytes received, read by read, as reports show them.
    public var receivedText: String {
        let parts = events.filter { $0.kind == .received }.compactMap(\.displayText)
        return parts.isEmpty ? "nothing" : parts.joined(separator: " + ")
    }
}

/// The verdict on one check, with its evidence.
public struct CheckResult: Sendable, Codable {
    public let id: String
    public let title: String
    public let level: RequirementLevel
    public let requirements: [String]
    public let section: String
    public var status: CheckStatus
    /// One line: what happened.
    public var message: String
    /// What the spec required, one line.
    public var expected: String?
    /// Each deviation found, with its requirement.
    public var findings: [Finding]
    public var transcripts: [Transcript]
    public var statistics: [StatResult]
    /// Raw samples of statistical checks, so the verdict can be recomputed offline.
    public var samples: [[Int]]?
    public var durationMilliseconds: Double
    /// Listed in `--known-failures`: still run and reported, but does not fail the run.
    public var knownFailure: Bool
    /// Not judged for a reason on the checker's side (its run deadline, a `--samples` too small,
    /// a machine too busy to time a request), not the target's: the rubric prices it 0 of 0.
    public var checkerLimited: Bool?

    public init(definition: CheckDefinition, status: CheckStatus, message: String, expected: String? = nil,
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
public struct RunSummary: Sendable, Codable, Hashable {
    public var passed = 0
    public var failed = 0
    public var warnings = 0
    public var skipped = 0
    public var notJudged = 0
    public var knownFailures = 0

    public init(results: [CheckResult]) {
        for result in results {
            switch result.status {
            case .pass: passed += 1
            case .fail: if result.knownFailure { knownFailures += 1 } else { failed += 1 }
            case .warn: warnings += 1
            case .skip: skipped += 1
            case .notJudged: notJudged += 1
            }
        }
    }
}

/// The whole run: the JSON report's root (schema documented in `Spec/report.schema.json`).
public struct RunReport: Sendable, Codable {
    public static let schemaVersion = 1

    public var schemaVersion: Int = RunReport.schemaVersion
    public var tool: String = "randwire"
    public var toolVersion: String = RandWireVersion.current
    public var target: String
    public var profile: Profile
    public var parameters: ProfileParameters
    public var strict: Bool
    public var seed: UInt64
    public var startedAt: String
    public var durationMilliseconds: Double
    /// True when the target could not be reached at all: nothing was judged (exit 69).
    public var unreachable: Bool
    public var results: [CheckResult]
    public var summary: RunSummary
    /// True only for the `conformant` verdict: every applicable required check judged and passed
    /// (all MUSTs; with `--strict`, SHOULDs too), on a run neither narrowed nor excused.
    public var conformant: Bool
    /// What the run may claim, shown first in every format (spec section 11).
    public var verdict: Verdict
    /// Why the verdict is what it is: the checks that decided it.
    public var verdictReason: String
    public var warnings: [String]

    public init(target: String, profile: Profile, parameters: ProfileParameters, strict: Bool, seed: UInt64,
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
    public var exitCode: Int32 { verdict.exitCode }
}

public enum RandWireVersion {
    public static let current = "1.0.0"
}
