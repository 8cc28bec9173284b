import RandWireConformance
import RandWireProtocol

/// One check's share of a score.
package struct CheckScore: Sendable, Codable, Hashable {
    package let id: String
    package let status: CheckStatus
    package let level: RequirementLevel
    package let earned: Double
    package let possible: Double
    /// `visible`, `hidden`, `after_due_date` or `after_published` (Gradescope's vocabulary).
    package let visibility: String

    package init(id: String, status: CheckStatus, level: RequirementLevel, earned: Double, possible: Double, visibility: String) {
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
package struct Score: Sendable, Codable, Hashable {
    package let earned: Double
    package let possible: Double
    /// Whether the run clears the rubric's pass threshold (default: every MUST point earned).
    package let passedThreshold: Bool
    package let checks: [CheckScore]

    package init(earned: Double, possible: Double, passedThreshold: Bool, checks: [CheckScore]) {
        self.earned = earned
        self.possible = possible
        self.passedThreshold = passedThreshold
        self.checks = checks
    }

    package func check(_ id: String) -> CheckScore? { checks.first { $0.id == id } }
}
