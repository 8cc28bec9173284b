import RandWireConformance
import RandWireProtocol

/// One check's share of a score.
public struct CheckScore: Sendable, Codable, Hashable {
    public let id: String
    public let status: CheckStatus
    public let level: RequirementLevel
    public let earned: Double
    public let possible: Double
    /// `visible`, `hidden`, `after_due_date` or `after_published` (Gradescope's vocabulary).
    public let visibility: String

    public init(id: String, status: CheckStatus, level: RequirementLevel, earned: Double, possible: Double, visibility: String) {
        self.id = id
        self.status = status
        self.level = level
        self.earned = earned
        self.possible = possible
        self.visibility = visibility
    }
}

/// A run priced by a rubric. `earned` and `possible` are the sums of `checks`, after any
/// `maxScore` scaling, so per-check scores always add up to the total.
public struct Score: Sendable, Codable, Hashable {
    public let earned: Double
    public let possible: Double
    /// Whether the run clears the rubric's pass threshold (default: every MUST point earned).
    public let passedThreshold: Bool
    public let checks: [CheckScore]

    public init(earned: Double, possible: Double, passedThreshold: Bool, checks: [CheckScore]) {
        self.earned = earned
        self.possible = possible
        self.passedThreshold = passedThreshold
        self.checks = checks
    }

    public func check(_ id: String) -> CheckScore? { checks.first { $0.id == id } }
}
