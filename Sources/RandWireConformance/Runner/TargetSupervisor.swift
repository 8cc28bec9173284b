import RandWireSocket

/// How a supervised server ended.
package struct ServerDeath: Sendable, Hashable {
    /// `exit 1`, `SIGSEGV`, or `still running but not accepting connections`.
    package var status: String
    /// The last lines of its stderr: the traceback, usually.
    package var stderrTail: [String]

    package init(status: String, stderrTail: [String]) {
        self.status = status
        self.stderrTail = stderrTail
    }
}

/// A server the runner started itself (`check --exec`, `grade` rows that are commands), so it
/// can tell a death from a slow answer and bring the server back: every check gets judged,
/// and each death is charged to the exact input that caused it.
package protocol TargetSupervisor: Sendable {
    /// Where the server listens now.
    var endpoint: Endpoint { get }
    /// How the server ended, if it has (waiting up to `grace` for a dying one to finish).
    func death(grace: Duration) -> ServerDeath?
    /// Stops what is left of the server and starts it again: the new endpoint, or why not.
    func restart() -> Result<Endpoint, RestartRefusal>
    /// How many restarts the run may use.
    var restartBudget: Int { get }
}

package struct RestartRefusal: Error, Sendable, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
