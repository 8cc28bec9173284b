import RandWireProtocol
import RandWireSocket

/// Everything one `randwire check` run needs. Defaults are the command's defaults.
public struct RunConfiguration: Sendable {
    public var target: Endpoint
    public var parameters: ProfileParameters
    /// SHOULD checks count as required (`--strict`).
    public var strict = false
    /// How long to wait for an answer on each exchange (`--timeout`).
    public var answerTimeout: Duration = .seconds(2)
    public var connectTimeout: Duration = .seconds(2)
    /// How long after its last byte a server has to close (CORE-3).
    public var closeWait: Duration = .seconds(1)
    /// Values to gather for the randomness checks (`--samples`); nil picks the documented default.
    public var samples: Int?
    /// Parallel connections while sampling.
    public var parallelism = 16
    /// `--only` / `--skip` selectors: check IDs, `group.*` globs or requirement IDs.
    public var only: [String] = []
    public var skip: [String] = []
    /// Built-in fixtures plus any `--fixtures DIR`.
    public var fixtures: [Fixture]
    /// Seeds the Monte-Carlo p-values, so a run can be repeated exactly (`--seed`).
    public var seed: UInt64 = 1
    /// The whole run's deadline: no server can hold the runner longer.
    public var runDeadline: Duration = .seconds(60)
    /// LIMIT-2: how long a silent connection may stay open before the check fails.
    public var connectionDeadlineLimit: Duration = .milliseconds(Limits.maxConnectionMilliseconds + 500)
    /// Check IDs listed in `--known-failures`: run and reported, but they do not fail the run.
    public var knownFailures: Set<String> = []
    /// Progress lines for a TTY (stderr); nil for silence.
    public var progress: (@Sendable (String) -> Void)?

    public init(target: Endpoint, parameters: ProfileParameters, fixtures: [Fixture]) {
        self.target = target
        self.parameters = parameters
        self.fixtures = fixtures
    }
}
