#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireConformance
import RandWireProtocol

/// Points per check, what students see, and the pass threshold. Documented, with its JSON
/// form, in `Spec/reports.md` and `Spec/rubric.schema.json`.
///
/// A check's points come from the most specific `points` key that names it: its exact ID, then
/// the most specific glob (`random.*`), then the longest `section:` key (`section:6` covers 6.4),
/// then `level:MUST|SHOULD|MAY`, then the built-in level defaults (MUST 2, SHOULD 1, MAY 0).
package struct Rubric: Sendable, Hashable {
    /// Fractions of a check's points earned in the in-between outcomes.
    package struct PartialCredit: Sendable, Codable, Hashable {
        /// A statistical check that passed only after an ambiguous first sample (the spec's
        /// fresh sample alone decides, RAND-4). Default 1: a correct server is ambiguous about
        /// once per thousand tests, and luck should not cost a student points.
        package var statistical: Double
        /// A check that warned (a SHOULD violated, without `--strict`). Default 0.5.
        package var warn: Double

        package init(statistical: Double = 1, warn: Double = 0.5) {
            self.statistical = statistical
            self.warn = warn
        }
    }

    /// Gradescope's visibility values.
    package static let visibilities = ["visible", "hidden", "after_due_date", "after_published"]
    /// Points for a check no key names.
    package static let levelDefaults: [RequirementLevel: Double] = [.must: 2, .should: 1, .may: 0]

    /// Selector → points: a check ID, a glob (`*`, `?`), `section:N` or `level:MUST|SHOULD|MAY`.
    package var points: [String: Double]
    /// Selectors (same forms as `points` keys) of checks shown with `hiddenVisibility`.
    package var hidden: [String]
    /// Visibility of the other checks, and of the Gradescope result as a whole.
    package var visibility: String
    package var hiddenVisibility: String
    package var partialCredit: PartialCredit
    /// Fraction of the possible points needed to pass (0...1). Nil: every MUST point.
    package var passThreshold: Double?
    /// Scale the total (and every check) so that `possible` equals this.
    package var maxScore: Double?

    package init(points: [String: Double] = ["level:MUST": 2, "level:SHOULD": 1, "level:MAY": 0],
                hidden: [String] = [], visibility: String = "visible", hiddenVisibility: String = "hidden",
                partialCredit: PartialCredit = PartialCredit(), passThreshold: Double? = nil, maxScore: Double? = nil) {
        self.points = points
        self.hidden = hidden
        self.visibility = visibility
        self.hiddenVisibility = hiddenVisibility
        self.partialCredit = partialCredit
        self.passThreshold = passThreshold
        self.maxScore = maxScore
    }

    /// MUST 2, SHOULD 1, MAY 0; warn earns half; an ambiguous-then-pass statistic earns all;
    /// passing needs every MUST point.
    package static let `default` = Rubric()

    // MARK: Pricing

    /// The points a check is worth, by the precedence above.
    package func points(for id: String, section: String, level: RequirementLevel) -> Double {
        if let exact = points[id] { return exact }
        var best: (specificity: Int, key: String, points: Double)?
        for (key, value) in points where Self.isGlob(key) && Self.glob(key, matches: id) {
            let specificity = key.count(where: { $0 != "*" && $0 != "?" })
            if best == nil || specificity > best!.specificity || (specificity == best!.specificity && key < best!.key) {
                best = (specificity, key, value)
            }
        }
        if let best { return best.points }
        var bestSection: (length: Int, points: Double)?
        for (key, value) in points where key.hasPrefix("section:") {
            let wanted = String(key.dropFirst("section:".count))
            if Self.section(section, isWithin: wanted), wanted.count > (bestSection?.length ?? -1) {
                bestSection = (wanted.count, value)
            }
        }
        if let bestSection { return bestSection.points }
        if let byLevel = points["level:" + level.rawValue] { return byLevel }
        return Self.levelDefaults[level] ?? 0
    }

    /// Whether a `points`/`hidden` selector names the check.
    package static func selector(_ selector: String, matches id: String, section: String, level: RequirementLevel) -> Bool {
        if selector.hasPrefix("section:") { return Self.section(section, isWithin: String(selector.dropFirst("section:".count))) }
        if selector.hasPrefix("level:") { return selector.dropFirst("level:".count).uppercased() == level.rawValue }
        return isGlob(selector) ? glob(selector, matches: id) : selector == id
    }

    package func visibility(for id: String, section: String, level: RequirementLevel) -> String {
        hidden.contains { Self.selector($0, matches: id, section: section, level: level) } ? hiddenVisibility : visibility
    }

    /// Prices every check of a run; see `Spec/reports.md` for the table of outcomes.
    package func score(_ report: RunReport) -> Score {
        var raw: [(result: CheckResult, earned: Double, possible: Double)] = []
        for result in report.results {
            let worth = points(for: result.id, section: result.section, level: result.level)
            switch result.status {
            case .skip: raw.append((result, 0, 0))
            case .pass: raw.append((result, worth * (result.passedAfterAmbiguity ? partialCredit.statistical : 1), worth))
            case .warn: raw.append((result, worth * partialCredit.warn, worth))
            // The checker's own limits are not the student's fault: such a check is worth nothing.
            case .notJudged where result.checkerLimited == true: raw.append((result, 0, 0))
            case .fail, .notJudged: raw.append((result, 0, worth))
            }
        }
        let rawPossible = raw.reduce(0) { $0 + $1.possible }
        let factor = maxScore.map { rawPossible > 0 ? $0 / rawPossible : 1 } ?? 1
        let checks = raw.map { item in
            CheckScore(id: item.result.id, status: item.result.status, level: item.result.level,
                       earned: item.earned * factor, possible: item.possible * factor,
                       visibility: visibility(for: item.result.id, section: item.result.section, level: item.result.level))
        }
        let earned = checks.reduce(0) { $0 + $1.earned }
        let possible = checks.reduce(0) { $0 + $1.possible }
        let tolerance = 1e-9 * Swift.max(1, possible)
        let passed: Bool
        if report.unreachable {
            passed = false
        } else if let passThreshold {
            passed = possible == 0 || earned + tolerance >= passThreshold * possible
        } else {
            let must = checks.filter { $0.level == .must }
            passed = must.reduce(0) { $0 + $1.earned } + tolerance >= must.reduce(0) { $0 + $1.possible }
        }
        return Score(earned: earned, possible: possible, passedThreshold: passed, checks: checks)
    }

    /// `points` and `hidden` selectors that name none of `definitions`: typos a grader wants
    /// to hear about before grading a class.
    package func unmatchedSelectors(_ definitions: [CheckDefinition]) -> [String] {
        let selectors = points.keys.filter { !$0.hasPrefix("level:") } + hidden
        return Array(Set(selectors.filter { selector in
            !definitions.contains { Self.selector(selector, matches: $0.id, section: $0.section, level: $0.level) }
        })).sorted()
    }

    // MARK: Matching

    static func isGlob(_ key: String) -> Bool {
        !key.hasPrefix("section:") && !key.hasPrefix("level:") && key.contains { $0 == "*" || $0 == "?" }
    }

    /// `*` matches any run of characters, `?` one character.
    static func glob(_ pattern: String, matches text: String) -> Bool {
        let p = Array(pattern)
        let t = Array(text)
        var (pi, ti) = (0, 0)
        var star: (p: Int, t: Int)?
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || (p[pi] != "*" && p[pi] == t[ti])) {
                pi += 1
                ti += 1
            } else if pi < p.count && p[pi] == "*" {
                star = (pi, ti)
                pi += 1
            } else if let s = star {
                pi = s.p + 1
                ti = s.t + 1
                star = (s.p, s.t + 1)
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    /// `section:6` covers 6, 6.1 ... 6.5; `section:6.4` covers only 6.4.
    static func section(_ section: String, isWithin wanted: String) -> Bool {
        section == wanted || section.hasPrefix(wanted + ".")
    }
}
