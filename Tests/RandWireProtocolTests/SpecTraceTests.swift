import Foundation
import RandWireProtocol
import Testing

/// `Spec/randwire.md` read as data: the requirement table of section 13, and the body text split
/// into paragraphs that know which section they sit in. Kept deliberately simple: the spec is
/// plain Markdown with `## N.` / `### N.M.` headings.
private struct SpecDocument {
    struct Row: Equatable {
        let id: String
        let level: String
        let role: String
        let section: String
        let summary: String
    }

    struct Paragraph {
        /// "3", "6.4", "A", or "" before the first numbered heading.
        let section: String
        let text: String
    }

    static let tableHeader = "| ID | Level | Role | Section | Summary |"

    let path: String
    let header: String?
    let rows: [Row]
    /// Every paragraph outside the section-13 table, headings and code blocks included.
    let paragraphs: [Paragraph]
    /// The rows of the section-12 parameter table, keyed by profile name.
    let parameterRows: [String: [String]]

    var body: String { paragraphs.map(\.text).joined(separator: "\n\n") }

    static func load(filePath: String = #filePath) throws -> SpecDocument {
        // Tests/RandWireProtocolTests/SpecTraceTests.swift → package root.
        let root = URL(fileURLWithPath: filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let url = root.appendingPathComponent("Spec").appendingPathComponent("randwire.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        return parse(text, path: url.path)
    }

    static func parse(_ text: String, path: String) -> SpecDocument {
        var section = ""
        var header: String?
        var rows: [Row] = []
        var parameterRows: [String: [String]] = [:]
        var paragraphs: [Paragraph] = []
        var current: [String] = []
        var inFence = false

        func flush() {
            if !current.isEmpty { paragraphs.append(Paragraph(section: section, text: current.joined(separator: "\n"))) }
            current = []
        }

        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if line.hasPrefix("```") { inFence.toggle() }
            if !inFence, line.hasPrefix("#") {
                flush()
                section = headingSection(line) ?? section
                paragraphs.append(Paragraph(section: section, text: line))
                continue
            }
            if section == "13", line.hasPrefix("|") {
                // The requirement table is data, not body text.
                let cells = cellsOf(line)
                if header == nil {
                    header = line.trimmingCharacters(in: .whitespaces)
                } else if !cells.allSatisfy({ $0.allSatisfy { $0 == "-" || $0 == ":" } }) {
                    rows.append(row(cells))
                }
                continue
            }
            if section == "12", line.hasPrefix("|") {
                let cells = cellsOf(line)
                if let first = cells.first, Profile(rawValue: first) != nil { parameterRows[first] = cells }
            }
            if line.trimmingCharacters(in: .whitespaces).isEmpty && !inFence {
                flush()
            } else {
                current.append(line)
            }
        }
        flush()
        return SpecDocument(path: path, header: header, rows: rows, paragraphs: paragraphs, parameterRows: parameterRows)
    }

    /// `## 6.4. parity` → "6.4"; `## Appendix A. …` → "A"; other headings keep the section.
    static func headingSection(_ line: String) -> String? {
        if let match = line.firstMatch(of: #/^#{2,4}\s+(\d+(?:\.\d+)*)\.?\s/#) { return String(match.1) }
        if let match = line.firstMatch(of: #/^##\s+Appendix\s+([A-Z])\b/#) { return String(match.1) }
        return nil
    }

    static func cellsOf(_ line: String) -> [String] {
        var trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("|") { trimmed.removeFirst() }
        if trimmed.hasSuffix("|") { trimmed.removeLast() }
        return trimmed.split(separator: "|", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    static func row(_ cells: [String]) -> Row {
        func cell(_ index: Int) -> String { index < cells.count ? cells[index] : "" }
        return Row(id: cell(0), level: cell(1), role: cell(2), section: cell(3), summary: cells.dropFirst(4).joined(separator: "|"))
    }

    /// Paragraphs that state a requirement: they open with its bold tag `**[ID]**`. (A tag
    /// quoted elsewhere, such as the example in section 2.1, is not a statement.)
    func definitions(of id: String) -> [Paragraph] {
        paragraphs.filter { $0.text.hasPrefix("**[\(id)]**") }
    }
}

/// Whether `text` holds `word` in upper case as a whole word (`MUST` in `MUST NOT`, not in `MUSTARD`).
private func containsKeyword(_ word: String, in text: String) -> Bool {
    var searchStart = text.startIndex
    while let range = text.range(of: word, range: searchStart..<text.endIndex) {
        let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
        let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
        let isBoundary = { (c: Character?) in c.map { !($0.isLetter || $0.isNumber || $0 == "_") } ?? true }
        if isBoundary(before) && isBoundary(after) { return true }
        searchStart = range.upperBound
    }
    return false
}

/// Whether a spec section lies inside a requirement's section ("3.2" is inside "3").
private func section(_ found: String, isWithin required: String) -> Bool {
    found == required || found.hasPrefix(required + ".")
}

@Suite("Spec/randwire.md traces Requirements.all")
struct SpecTraceTests {
    @Test("the section-13 table lists exactly the requirement IDs of the code, in order")
    func tableIDsMatchCode() throws {
        let spec = try SpecDocument.load()
        #expect(spec.header == SpecDocument.tableHeader, "section 13 table header in \(spec.path)")
        let tableIDs = spec.rows.map(\.id)
        let codeIDs = Requirements.all.map(\.id)
        let missing = codeIDs.filter { !tableIDs.contains($0) }
        let extra = tableIDs.filter { !codeIDs.contains($0) }
        #expect(missing.isEmpty, "requirements missing from the spec table: \(missing)")
        #expect(extra.isEmpty, "spec table rows not in Requirements.all: \(extra)")
        let duplicates = Dictionary(grouping: tableIDs, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(duplicates.isEmpty, "IDs listed twice in the spec table: \(duplicates)")
        if missing.isEmpty && extra.isEmpty {
            #expect(tableIDs == codeIDs, "the spec table is not in the order of Requirements.all")
        }
    }

    @Test("each table row has the code's level, role, section and summary", arguments: Requirements.all)
    func rowMatchesCode(requirement: Requirement) throws {
        let spec = try SpecDocument.load()
        let row = try #require(spec.rows.first { $0.id == requirement.id }, "no table row for \(requirement.id)")
        #expect(row.level == requirement.level.rawValue, "\(requirement.id) level")
        #expect(row.role == requirement.role.rawValue, "\(requirement.id) role")
        #expect(row.section == requirement.section, "\(requirement.id) section")
        #expect(row.summary == requirement.summary, "\(requirement.id) summary")
    }

    @Test("each requirement is stated once in the body, in its section, with its level keyword", arguments: Requirements.all)
    func requirementIsStatedInBody(requirement: Requirement) throws {
        let spec = try SpecDocument.load()
        #expect(spec.body.contains("[\(requirement.id)]"), "\(requirement.id) never appears as [\(requirement.id)] in the body")
        let definitions = spec.definitions(of: requirement.id)
        #expect(definitions.count == 1, "\(requirement.id) should be defined (**[\(requirement.id)]**) exactly once, found \(definitions.count)")
        for paragraph in definitions {
            #expect(
                section(paragraph.section, isWithin: requirement.section),
                "\(requirement.id) is stated in section \(paragraph.section), expected \(requirement.section)"
            )
            #expect(
                containsKeyword(requirement.level.rawValue, in: paragraph.text),
                "the paragraph stating \(requirement.id) lacks its level keyword \(requirement.level.rawValue)"
            )
        }
    }

    @Test("every [XXX-N] tag in the body names a known requirement")
    func bodyTagsAreKnown() throws {
        let spec = try SpecDocument.load()
        var unknown: [String] = []
        for match in spec.body.matches(of: #/\[([A-Z]+-[0-9]+)\]/#) {
            let id = String(match.1)
            if Requirements.requirement(id) == nil { unknown.append(id) }
        }
        #expect(unknown.isEmpty, "tags naming no requirement: \(unknown)")
    }

    @Test("no requirement keyword in sections 3-10 is left untagged")
    func keywordsAreTagged() throws {
        let spec = try SpecDocument.load()
        let keywords = ["MUST", "SHOULD", "MAY", "SHALL", "REQUIRED", "RECOMMENDED", "OPTIONAL"]
        let normative = Set((3...10).map(String.init))
        var untagged: [String] = []
        for paragraph in spec.paragraphs {
            let top = String(paragraph.section.prefix { $0 != "." })
            guard normative.contains(top), !paragraph.text.hasPrefix("#") else { continue }
            let hasKeyword = keywords.contains { containsKeyword($0, in: paragraph.text) }
            if hasKeyword && paragraph.text.firstMatch(of: #/^\*\*\[[A-Z]+-[0-9]+\]\*\*/#) == nil {
                untagged.append(String(paragraph.text.prefix(80)))
            }
        }
        #expect(untagged.isEmpty, "paragraphs with an RFC 2119 keyword but no requirement ID: \(untagged)")
    }

    @Test("section 12's row for each profile matches Profile and ProfileParameters", arguments: Profile.allCases)
    func profileRowMatchesCode(profile: Profile) throws {
        let spec = try SpecDocument.load()
        let cells = try #require(spec.parameterRows[profile.rawValue], "no section-12 row for \(profile)")
        #expect(cells.count >= 8, "section-12 row for \(profile) has \(cells.count) cells")
        guard cells.count >= 8 else { return }
        #expect(cells[1] == profile.seed, "\(profile) seed")
        #expect(cells[2] == String(profile.defaultPort), "\(profile) default port")
        let defaults = profile.defaultParameters
        if profile.isRandom {
            #expect(cells[3] == String(defaults.min), "\(profile) min")
            #expect(cells[4] == String(defaults.max), "\(profile) max")
            #expect(cells[5] == String(defaults.count), "\(profile) count")
        }
    }

    @Test("section 12 and the constants match Tokens and Limits")
    func parametersMatchCode() throws {
        let spec = try SpecDocument.load()
        let parity = try #require(spec.parameterRows["parity"])
        let canonical = Tokens.canonical
        for word in [canonical.even, canonical.odd, canonical.tooLong, canonical.error] {
            #expect(parity.count > 6 && parity[6].contains("`\(word)`"), "parity default token \(word)")
        }
        let body = spec.body
        let quiet = Limits.requestQuietRangeMilliseconds
        for phrase in [
            "\(Limits.maxResponseBytes) octets",
            "\(Limits.maxRequestBytes) octets of content",
            "\(Limits.requestQuietMilliseconds) ms",
            "\(quiet.lowerBound) ms and \(quiet.upperBound) ms",
            "\(Limits.responseQuietMilliseconds) ms of",
            "\(Limits.maxConnectionMilliseconds / 1000) s of accept",
            "\(Limits.referenceConnectionMilliseconds / 1000) s",
            "at most \(Limits.parityMaxDigits) digits",
            "count ≤ \(ProfileParameters.countLimit)",
        ] {
            #expect(body.contains(phrase), "the spec never says \"\(phrase)\"")
        }
    }
}
