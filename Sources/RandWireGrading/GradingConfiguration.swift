import RandWireConformance
import RandWireReports
import RandWireSocket

/// How `randwire grade` grades a class. Defaults are the command's; tests shrink the timeouts
/// and samples.
package struct GradingConfiguration: Sendable {
    /// Students graded at a time (`--jobs`).
    package var jobs = 4
    /// How long a started server has to listen on its port (`--startup-timeout`).
    package var startupTimeout: Duration = .seconds(10)
    /// Run roster commands through `/bin/sh -c` (`--shell`); otherwise they are split into
    /// arguments and executed directly.
    package var shell = false
    /// Prices checks for every score (`--rubric`).
    package var rubric: Rubric = .default
    /// The check suite: the built-in fixtures, plus any extra ones.
    package var fixtures: [Fixture]
    /// Each student's whole-run deadline: a hanging server costs at most about this.
    package var runDeadline: Duration = .seconds(60)
    /// Per-exchange deadlines of the runner (`randwire check --timeout`).
    package var answerTimeout: Duration = .seconds(2)
    package var connectTimeout: Duration = .seconds(2)
    /// Values gathered for the randomness checks; nil: the runner's default for the range.
    package var samples: Int?
    /// LIMIT-2's bound; nil: the runner's default.
    package var connectionDeadlineLimit: Duration?
    /// SHOULD checks count as required.
    package var strict = false
    /// Seeds the Monte-Carlo p-values; the same for every student, so grades are repeatable.
    package var seed: UInt64 = 1
    /// How student commands are contained: nil runs them as the grader's own processes (only
    /// for trusted servers, as the tests' own); `.auto` by default.
    package var sandbox: Containment.Sandbox? = .auto
    /// Paths no student may see under bubblewrap: the output folder, every student's folder.
    package var hiddenPaths: [String] = []
    /// How many times a started server that dies is restarted during one student's run.
    package var restartBudget = 20
    /// Between SIGTERM and SIGKILL when a started server is stopped.
    package var stopGrace: Duration = .seconds(1)
    /// Lines of a started server's stderr kept in its report when it failed to start or died.
    package var stderrLines = 20
    /// Called once per finished student with `[3/40] alice: 38/40 CONFORMANT (4.2 s)`, from
    /// the worker thread that graded it.
    package var progress: (@Sendable (String) -> Void)?
    /// Kept up to date with who is running, for a live status line.
    package var live: GradingProgress?

    package init(fixtures: [Fixture]) {
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
