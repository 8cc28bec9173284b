#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireConformance
import RandWireProtocol
import RandWireReports
import RandWireSocket

/// Why the grades could not be written.
package struct GradeOutputError: Error, Sendable, CustomStringConvertible {
    package let description: String
}

/// Everything `randwire grade` writes under `--out`: one report per student and format,
/// `grades.csv` and `summary.html`.
package enum GradeFiles {
    /// The file extension of a per-student report.
    package static func fileExtension(_ format: ReportFormat) -> String {
        switch format {
        case .json: "json"
        case .junit: "xml"
        case .tap: "tap"
        case .gradescope: "gradescope.json"
        case .human: "txt"
        case .html: "html"
        }
    }

    /// A file name stem per student, in order: ASCII letters, digits, `.`, `_` and `-` only
    /// (accents folded away, anything else `_`), never starting with `.` or `-`, at most 80
    /// characters, and unique even on a case-insensitive file system (`-2`, `-3` … appended).
    package static func fileStems(_ students: [String]) -> [String] {
        var used: Set<String> = []
        return students.map { student in
            let base = sanitize(student)
            var stem = base
            var n = 2
            while !used.insert(stem.lowercased()).inserted {
                stem = "\(base)-\(n)"
                n += 1
            }
            return stem
        }
    }

    static func sanitize(_ name: String) -> String {
        let folded = folded(name)
        var out = ""
        for scalar in folded.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "-", "_": out.unicodeScalars.append(scalar)
            default: if !out.hasSuffix("_") { out += "_" }
            }
        }
        while let first = out.first, first == "." || first == "-" || first == "_" { out.removeFirst() }
        while out.hasSuffix("_") { out.removeLast() }
        if out.count > 80 { out = String(out.prefix(80)) }
        return out.isEmpty ? "student" : out
    }

    /// `name` with accents dropped from Latin letters and full-width forms made ASCII, as Foundation's
    /// `folding(options: [.diacriticInsensitive, .widthInsensitive])` did for the names that matter
    /// here (FoundationEssentials has no folding; what is left over becomes `_` in `sanitize`).
    static func folded(_ name: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            switch scalar.value {
            case 0x300...0x36F: continue  // combining diacritical marks (names in decomposed form)
            case 0xFF01...0xFF5E: out.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
            case 0x3000: out.append(" ")
            default: out.append(latinBase[scalar] ?? scalar)
            }
        }
        return String(out)
    }

    /// Precomposed Latin letters (U+00C0-U+024F) and the ASCII letter each decomposes to.
    private static let latinBase: [Unicode.Scalar: Unicode.Scalar] = Dictionary(
        uniqueKeysWithValues: zip(
            "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳ".unicodeScalars,
            "AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzOoUuAaIiOoUuUuUuUuUuAaAaGgKkOoOojGgNnAaAaAaEeEeIiIiOoOoRrRrUuUuSsTtHhAaEeOoOoOoOoYy".unicodeScalars))

    /// `directory/name`, as NSString's `appendingPathComponent` gives it.
    static func path(_ directory: String, _ name: String) -> String {
        if directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// Creates `directory` (and its parents) and checks it can be written, so a bad `--out`
    /// fails before a class is graded rather than after.
    package static func prepare(_ directory: String) throws(GradeOutputError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw GradeOutputError(description: "cannot create the output folder \(directory): \(FileErrorText.describe(error))")
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw GradeOutputError(description: "cannot write in the output folder \(directory)")
        }
    }

    /// Writes every file; returns their paths (reports per student in roster order, then
    /// `grades.csv` and `summary.html`).
    @discardableResult
    package static func write(_ result: ClassResult, to directory: String, formats: [ReportFormat]) throws(GradeOutputError) -> [String] {
        try prepare(directory)
        var options = ReportOptions()
        options.rubric = result.configuration.rubric
        let stems = fileStems(result.grades.map(\.student))
        var written: [String] = []
        var reportFiles: [[String]] = []
        for (grade, stem) in zip(result.grades, stems) {
            var files: [String] = []
            for format in formats {
                let name = "\(stem).\(fileExtension(format))"
                try save(ReportRenderer.render(grade.report, format: format, options: options), name, in: directory)
                files.append(name)
                written.append(path(directory, name))
            }
            reportFiles.append(files)
        }
        try save(GradesTable.csv(result), "grades.csv", in: directory)
        try save(SummaryPage.html(result, reportFiles: reportFiles), "summary.html", in: directory)
        written += ["grades.csv", "summary.html"].map { path(directory, $0) }
        return written
    }

    static func save(_ text: String, _ name: String, in directory: String) throws(GradeOutputError) {
        let path = path(directory, name)
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw GradeOutputError(description: "cannot write \(path): \(FileErrorText.describe(error))")
        }
    }
}

/// `grades.csv`: one row per student, one column per check of any profile in the class.
package enum GradesTable {
    package static let fixedColumns = ["student", "profile", "score", "max_score", "status"]

    /// Check IDs of the class, every ID once, in spec order as the reports group them: by the
    /// spec section of the check's first requirement, sections in spec order; within a section
    /// in catalog order (each profile's checks in report order, profiles in spec order).
    package static func checkColumns(_ result: ClassResult) -> [String] {
        var checks: [CheckResult] = []
        var seen: Set<String> = []
        for profile in Profile.allCases {
            guard let grade = result.grades.first(where: { $0.entry.profile == profile }) else { continue }
            for check in grade.report.results where seen.insert(check.id).inserted { checks.append(check) }
        }
        // Any check a later report has that the first of its profile lacked (custom fixtures).
        for grade in result.grades {
            for check in grade.report.results where seen.insert(check.id).inserted { checks.append(check) }
        }
        return SpecSections.grouped(checks, section: \.section).flatMap { $0.items.map(\.id) }
    }

    /// The CSV text (RFC 4180, CRLF). A check that does not apply to a student's profile is an
    /// empty cell; otherwise pass, fail, warn, skip or not-judged.
    package static func csv(_ result: ClassResult) -> String {
        let checks = checkColumns(result)
        var text = CSV.row(fixedColumns + checks)
        for grade in result.grades {
            var statuses: [String: String] = [:]
            for check in grade.report.results { statuses[check.id] = check.status.rawValue }
            let fixed = [grade.student, grade.entry.profile.rawValue, Points.text(grade.score.earned),
                         Points.text(grade.score.possible), grade.status.rawValue]
            text += CSV.row(fixed + checks.map { statuses[$0] ?? "" })
        }
        return text
    }
}
