import RandWireConformance
import RandWireReports
import RandWireSocket

/// How `randwire grade` grades a class. Defaults are the command's; tests shrink the timeouts
/// and samples.
public struct GradingConfiguration: Sendable {
    /// Students graded at a time (`--jobs`).
    public var jobs = 4
    /// How long a started server has to listen on its port (`--startup-timeout`).
    public var startupTimeout: Duration = .seconds(10)
    /// Run roster commands through `/bin/sh -c` (`--shell`); otherwise they are split into
    /// arguments and executed directly.
    public var shell = false
    /// Prices checks for every score (`--rubric`).
    public var rubric: Rubric = .default
    /// The check suite: the built-in fixtures, plus any extra ones.
    public var fixtures: [Fixture]
    /// Each student's whole-run deadline: a hanging server costs at most about this.
    public var runDeadline: Duration = .seconds(60)
    /// Per-exchange deadlines of the runner (`randwire check --timeout`).
    public var answerTimeout: Duration = .seconds(2)
    public var connectTimeout: Duration = .seconds(2)
    /// Values gathered for the randomness checks; nil: the runner's default for the range.
    public var samples: Int?
    /// LIMIT-2's bound; nil: the runner's default.
    public var connectionDeadlineLimit: Duration?
    /// SHOULD checks count as required.
    public var strict = false
    /// Seeds the Monte-Carlo p-values; the same for every student, so grades are repeatable.
    public var seed: UInt64 = 1
    /// Between SIGTERM and SIGKILL when a started server is stopped.
    public var stopGrace: Duration = .seconds(1)
    /// Lines of a started server's stderr kept in its report when it failed to start or died.
    public var stderrLines = 20
    /// Called once per finished student with `[3/40] alice: 38/40 CONFORMANT (4.2 s)`, from
    /// the worker thread that graded it.
    public var progress: (@Sendable (String) -> Void)?
    /// Kept up to date with who is running, for a live status line.
    public var live: GradingProgress?

    public init(fixtures: [Fixture]) {
        self.fixtures = fixtures
    }

    /// The runner's configuration for one student.
    func runConfiguration(for entry: RosterEntry, target: Endpoint) -> RunConfiguration {
        var configuration = RunConfiguration(target: target, parameters: entry.parameters, fixtures: fixtures)
        configuration.runDeadline = runDeadline
        configuration.answerTimeout = answerTimeout
        configuration.connectTimeout = connectTimeout
        configuration.samples = samples
        if let connectionDeadlineLimit { configuration.connectionDeadlineLimit = connectionDeadlineLimit }
        configuration.strict = strict
        configuration.seed = seed
        return configuration
    }
}
