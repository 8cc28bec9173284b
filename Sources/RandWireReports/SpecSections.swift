/// The spec's section titles, so every format groups checks the way `Spec/randwire.md` reads
/// (and `grades.csv` orders its columns the same way).
package enum SpecSections {
    static let titles: [String: String] = [
        "1": "Introduction",
        "2": "Conventions and terminology",
        "3": "Transport and lifecycle",
        "4": "Message grammar",
        "5": "Request framing",
        "6": "Profiles",
        "6.1": "bare",
        "6.2": "csv",
        "6.3": "request",
        "6.4": "parity",
        "6.5": "double",
        "7": "Randomness",
        "8": "Timeouts and limits",
        "9": "Robustness and concurrency",
        "10": "Clients and servers that never close",
        "11": "Conformance levels",
        "12": "Profile parameters",
    ]

    /// `§3 Transport and lifecycle`; checks citing no known requirement land in `Other checks`.
    static func heading(_ section: String) -> String {
        guard let title = titles[section] else { return section == "0" ? "Other checks" : "§\(section)" }
        return "§\(section) \(title)"
    }

    /// Numeric order (3 < 6.4 < 10), with the catch-all section "0" last.
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        func key(_ section: String) -> [Int] {
            let parts = section.split(separator: ".").map { Int($0) ?? Int.max }
            return parts == [0] ? [Int.max] : parts
        }
        return key(lhs).lexicographicallyPrecedes(key(rhs))
    }

    /// Items grouped by section, sections in spec order, items in their original order.
    package static func grouped<Item>(_ items: [Item], section: (Item) -> String) -> [(section: String, items: [Item])] {
        var order: [String] = []
        var groups: [String: [Item]] = [:]
        for item in items {
            let key = section(item)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(item)
        }
        return order.sorted(by: precedes).map { ($0, groups[$0]!) }
    }
}
