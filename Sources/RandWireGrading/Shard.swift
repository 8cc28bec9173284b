/// One worker's slice of a roster: shard `index` of `count` (1-based), as `--shard K/N` names it.
///
/// A student belongs to shard `fnv1a64(name) % count + 1`: the assignment depends on the name
/// alone, so re-running a shard grades the same students and adding a student moves no one else.
package struct Shard: Sendable, Hashable, Codable, CustomStringConvertible {
    package let index: Int
    package let count: Int

    package init(index: Int, count: Int) {
        precondition(count >= 1 && (1...count).contains(index), "shard \(index)/\(count) is out of range")
        self.index = index
        self.count = count
    }

    /// `2/3`.
    package var description: String { "\(index)/\(count)" }

    /// Why `--shard` text was refused: one line.
    package struct ParseError: Error, Sendable, CustomStringConvertible {
        package let description: String
    }

    /// Parses `K/N` (1 ≤ K ≤ N ≤ 10000) or `auto/N`. `auto` takes K from `JOB_COMPLETION_INDEX`
    /// (a Kubernetes Indexed Job, 0-based), else `CI_NODE_INDEX` (GitLab `parallel:`, 1-based).
    package static func parse(_ text: String, environment: [String: String]) throws(ParseError) -> Shard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let count = Int(parts[1]), (1...10_000).contains(count) else {
            throw ParseError(description: "expected K/N or auto/N with 1 ≤ K ≤ N ≤ 10000, got '\(text)'")
        }
        var index: Int
        if parts[0] == "auto" {
            if let text = environment["JOB_COMPLETION_INDEX"] {
                guard let zeroBased = Int(text) else { throw ParseError(description: "JOB_COMPLETION_INDEX '\(text)' is not an integer") }
                index = zeroBased + 1
            } else if let text = environment["CI_NODE_INDEX"] {
                guard let oneBased = Int(text) else { throw ParseError(description: "CI_NODE_INDEX '\(text)' is not an integer") }
                index = oneBased
            } else {
                throw ParseError(description: "--shard auto/\(count) needs JOB_COMPLETION_INDEX (0-based) or CI_NODE_INDEX (1-based) in the environment")
            }
        } else {
            guard let number = Int(parts[0]) else {
                throw ParseError(description: "expected K/N or auto/N with 1 ≤ K ≤ N ≤ 10000, got '\(text)'")
            }
            index = number
        }
        guard (1...count).contains(index) else {
            throw ParseError(description: "shard \(index) is not in 1...\(count) (from '\(text)')")
        }
        return Shard(index: index, count: count)
    }

    /// Whether `student` is graded by this shard.
    package func contains(_ student: String) -> Bool {
        Int(Self.fnv1a64(student) % UInt64(count)) + 1 == index
    }

    /// FNV-1a, 64 bits, over the UTF-8 bytes.
    package static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
