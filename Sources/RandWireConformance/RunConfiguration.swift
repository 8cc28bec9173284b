import RandWireProtocol
import RandWireSocket

/// Everything one `randwire check` run needs. Defaults are the command's defaults.
package struct RunConfiguration: Sendable {
    package var target: Endpoint
    package var parameters: ProfileParameters
    /// SHOULD checks count as required (`--strict`).
    package var strict = false
    /// How long to wait for an answer on each exchange (`--timeout`).
    package var answerTimeout: Duration = .seconds(2)
    package var connectTimeout: Duration = .seconds(2)
    /// How long after its last byte a server has to close (CORE-3).
    package var closeWait: Duration = .seconds(1)
    /// Values to gather for the randomness checks (`--samples`); nil picks the documented default.
    package var samples: Int?
    /// Parallel connections while sampling.
    package var parallelism = 16
    /// `--only` / `--skip` selectors: check IDs, `group.*` globs or requirement IDs.
    package var only: [String] = []
    package var skip: [String] = []
    /// Built-in fixtures plus any `--fixtures DIR`.
    package var fixtures: [Fixture]
    /// Seeds the Monte-Carlo p-values, so a run can be repeated exactly (`--seed`).
    package var seed: UInt64 = 1
    /// The whole run's deadline: no server can hold the runner longer.
    package var runDeadline: Duration = .seconds(60)
    /// LIMIT-2: how long a silent connection may stay open before the check fails.
    package var connectionDeadlineLimit: Duration = .milliseconds(Limits.maxConnectionMilliseconds + 500)
    /// Check IDs listed in `--known-failures`: run and reported, but they do not fail the run.
    package var knownFailures: Set<String> = []
    /// Progress lines for a TTY (stderr); nil for silence.
    package var progress: (@Sendable (String) -> Void)?
    /// Set when the runner started the server itself: deaths are detected, charged to the
    /// input that caused them, and the server is restarted so later checks are still judged.
    package var supervisor: (any TargetSupervisor)?

    package init(target: Endpoint, parameters: ProfileParameters, fixtures: [Fixture]) {
        self.target = target
        self.parameters = parameters
        self.fixtures = fixtures
    }
}
