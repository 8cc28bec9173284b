import RandWireConformance
import RandWireProtocol
import RandWireReports
import RandWireSocket

/// A student's overall outcome, as `grades.csv` and the summary name it.
package enum GradeStatus: String, Sendable, Codable, CaseIterable {
    /// Every required check was judged and passed.
    case conformant
    /// No required check failed, but the run was narrowed or a failure excused: no conformance claim.
    case passed
    /// No required check failed, but some were not judged (run deadline, server gone).
    case incomplete
    /// Some required check failed.
    case notConformant = "not-conformant"
    /// The server could not be reached: nothing was judged.
    case unreachable
    /// The roster command did not start a server listening on its port in time.
    case didNotStart = "did-not-start"

    /// The status of a run's verdict: the same name, the verdict's raw value.
    package init(_ verdict: Verdict) {
        self.init(rawValue: verdict.rawValue)!
    }

    /// How the progress line and the summary say it: the verdict's word.
    package var label: String {
        self == .didNotStart ? "DID NOT START" : Verdict(rawValue: rawValue)!.word
    }
}

/// How a started server's start-up went.
package enum StartupOutcome: Sendable, Hashable, CustomStringConvertible {
    /// Listening; `host` is the address the runner then used.
    case listening(host: String, after: Duration)
    /// The process ended before it listened.
    case exited(ExitStatus, after: Duration)
    /// Still not listening at the start-up deadline.
    case timedOut(after: Duration)
    /// The command could not be executed at all.
    case launchFailed(String)

    package var description: String {
        switch self {
        case let .listening(host, after): "listening (\(host)) after \(Seconds.text(after))"
        case let .exited(status, after): "exited before listening (\(status)) after \(Seconds.text(after))"
        case let .timedOut(after): "not listening on its port after \(Seconds.text(after)) (the start-up deadline)"
        case let .launchFailed(reason): reason
        }
    }

    package var started: Bool {
        if case .listening = self { return true }
        return false
    }
}

/// Exactly what was run for a roster command, and how it went.
package struct LaunchRecord: Sendable, Hashable {
    /// The roster's command text.
    package var command: String
    /// What was executed: the split arguments after substitution, or `/bin/sh -c …`.
    package var arguments: [String]
    package var shell: Bool
    /// The port given in `$PORT` and `{port}`.
    package var port: UInt16
    package var startup: StartupOutcome
    /// How the process ended, once stopped (nil if it could not be reaped).
    package var exit: ExitStatus?
    /// It had ended on its own before grading finished (a crash, or `exit` after one client).
    package var exitedByItself = false
    package var standardOutput = OutputTail()
    package var standardError = OutputTail()
    /// What contained the command, one line each (limits, cgroup, user, sandbox).
    package var containment: [String] = []

    /// The executed command as one shell-quoted line.
    package var commandLine: String { CommandSplitter.join(arguments) }

    /// How the process ended, as the summary says it (nil if it could not be reaped).
    package var ending: String? {
        guard let exit else { return nil }
        if case .exited = startup { return "exited on its own before listening (\(exit)); there was nothing to stop" }
        return exitedByItself ? "exited by itself during grading (\(exit))" : "stopped by the grader (\(exit))"
    }

    /// It ended without being stopped: before listening, or during grading.
    package var endedOnItsOwn: Bool {
        if case .exited = startup { return true }
        return exitedByItself
    }
}

/// One student graded.
package struct StudentGrade: Sendable {
    package let entry: RosterEntry
    package let status: GradeStatus
    /// The run report (for a server that did not start: every check not judged).
    package let report: RunReport
    package let score: Score
    /// Present for roster commands.
    package let launch: LaunchRecord?
    /// Wall time for this student, start-up and shut-down included.
    package let duration: Duration

    package var student: String { entry.student }

    /// `alice: 38/40 CONFORMANT (4.2 s)`.
    package var summaryLine: String {
        "\(entry.student): \(Points.text(score.earned))/\(Points.text(score.possible)) \(status.label) (\(Seconds.text(duration)))"
    }
}

/// The class graded, in roster order.
package struct ClassResult: Sendable {
    package let grades: [StudentGrade]
    package let duration: Duration
    package let configuration: GradingConfiguration

    package func count(_ status: GradeStatus) -> Int { grades.count { $0.status == status } }

    /// `40 students in 12.3 s: 35 conformant, 3 not conformant, 1 unreachable, 1 did not start`.
    package var summaryLine: String {
        let counts = GradeStatus.allCases.compactMap { status -> String? in
            let n = count(status)
            return n == 0 ? nil : "\(n) \(status.label.lowercased())"
        }
        return "\(grades.count) student\(grades.count == 1 ? "" : "s") in \(Seconds.text(duration)): \(counts.joined(separator: ", "))"
    }
}

/// Points without locale surprises: 38, 37.5, 0.33.
enum Points {
    static func text(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let scaled = (x * 100).rounded()
        let integer = Int(scaled) / 100
        let fraction = abs(Int(scaled) % 100)
        if fraction == 0 { return "\(integer)" }
        let sign = x < 0 && integer == 0 ? "-" : ""
        return fraction % 10 == 0 ? "\(sign)\(integer).\(fraction / 10)" : "\(sign)\(integer).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

enum Seconds {
    /// `4.2 s`.
    static func text(_ duration: Duration) -> String {
        let tenths = Int((duration.inSeconds * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) s"
    }
}
