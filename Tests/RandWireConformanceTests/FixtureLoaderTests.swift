import Foundation
import Testing
@testable import RandWireConformance
import RandWireProtocol
import RandWireTestSupport

@Suite("Fixtures: format, validation, embedding")
struct FixtureLoaderTests {
    @Test("the built-in suite loads, with unique IDs and known requirements")
    func builtIn() throws {
        let fixtures = try FixtureLoader.builtIn()
        #expect(fixtures.count >= 50)
        #expect(Set(fixtures.map(\.id)).count == fixtures.count)
        for fixture in fixtures {
            for id in fixture.requirements { #expect(Requirements.requirement(id) != nil, "\(fixture.id) cites \(id)") }
        }
    }

    @Test("the embedded copy equals Fixtures/ (run Scripts/embed-fixtures.sh after editing a fixture)")
    func embeddedMatchesFolder() throws {
        let folder = PackagePaths.root.appendingPathComponent("Fixtures")
        let files = FixtureLoader.jsonFiles(under: folder)
        let onDisk = try files.map { (FixtureLoader.relativeName($0, base: folder), try String(contentsOf: $0, encoding: .utf8)) }
        let embedded = EmbeddedFixtures.files
        #expect(embedded.map(\.name) == onDisk.map(\.0))
        for (file, (name, text)) in zip(embedded, onDisk) {
            #expect(file.contents + "\n" == text, "\(name) differs from its embedded copy")
        }
        #expect(try FixtureLoader.load(directory: folder.path).map(\.id) == FixtureLoader.builtIn().map(\.id))
    }

    @Test("a fixture's framed request follows section 5")
    func framedRequest() throws {
        let fixtures = try FixtureLoader.builtIn()
        func fixture(_ id: String) throws -> Fixture { try #require(fixtures.first { $0.id == id }) }
        #expect(try fixture("framing.crlf").framedRequest == Request(content: Array("42".utf8), end: .lineFeed))
        #expect(try fixture("framing.half-close").framedRequest == Request(content: Array("42".utf8), end: .halfClose))
        #expect(try fixture("framing.unterminated").framedRequest == Request(content: Array("42".utf8), end: .quiet))
        #expect(try fixture("framing.split").framedRequest == Request(content: Array("12".utf8), end: .lineFeed))
        #expect(try fixture("request.empty-half-close").framedRequest == nil)
        #expect(try fixture("parity.over-cap").framedRequest?.end == .overCap)
        let parity = ProfileParameters(profile: .parity)
        #expect(try fixture("framing.split").expectedAnswer(parameters: parity) == .exact(Array("even".utf8)))
        var seed = parity
        seed.tooLongMode = .sameLength
        #expect(try fixture("parity.eleven-digits").expectedAnswer(parameters: seed) == .anyOfLength(11))
    }

    @Test("malformed fixtures name the file, the field and the problem", arguments: [
        (#"{"id":"x.y","title":"t","profiles":["parity"],"requirements":["PARITY-1"],"steps":[],"expect":{"response":"spec"},"colour":1}"#, "colour", "unknown field"),
        (#"{"id":"Bad Id","title":"t","profiles":["parity"],"requirements":["PARITY-1"],"steps":[],"expect":{"response":"spec"}}"#, "id", "must look like"),
        (#"{"id":"x.y","title":"t","profiles":["parity"],"requirements":["NOPE-1"],"steps":[],"expect":{"response":"spec"}}"#, "requirements", "unknown requirement ID 'NOPE-1'"),
        (#"{"id":"x.y","title":"t","profiles":["hexagon"],"requirements":["PARITY-1"],"steps":[],"expect":{"response":"spec"}}"#, "profiles", "unknown profile 'hexagon'"),
        (#"{"id":"x.y","title":"t","profiles":["parity"],"requirements":["PARITY-1"],"steps":[{"send":{"hex":"zz"}}],"expect":{"response":"spec"}}"#, "steps[0].send.hex", "not an even number of hex digits"),
        (#"{"id":"x.y","title":"t","profiles":["parity"],"requirements":["PARITY-1"],"steps":[{"jump":true}],"expect":{"response":"spec"}}"#, "steps[0]", "unknown step 'jump'"),
        (#"{"id":"x.y","title":"t","profiles":["parity"],"requirements":["PARITY-1"],"steps":[],"expect":{"response":{"token":"maybe"}}}"#, "expect.response.token", "must be one of"),
        (#"{"id":"x.y","title":"t","profiles":["parity"],"requirements":["PARITY-1"],"steps":[{"waitMs":-5}],"expect":{"response":"spec"}}"#, "steps[0].waitMs", "milliseconds"),
        (#"{"id":"x.y","title":"t","profiles":["parity"],"requirements":["PARITY-1"],"steps":[{"reset":true}],"expect":{"response":"spec"}}"#, "expect.response", "resets the connection"),
        (#"{"cases":[{"id":"x.y","title":"t","requirements":["PARITY-1"],"steps":[],"expect":{"response":"spec"}}]}"#, "cases[0].profiles", "required"),
        (#"[1,2]"#, "-", "top level must be an object"),
        (#"{"id": "#, "-", "not valid JSON"),
    ])
    func malformed(json: String, field: String, problem: String) {
        do {
            _ = try FixtureLoader.parse(Data(json.utf8), file: "teacher/case.json")
            Issue.record("expected an error for \(json)")
        } catch {
            #expect(error.file == "teacher/case.json")
            #expect(error.field == field)
            #expect(error.problem.contains(problem), "\(error.problem)")
            #expect(error.description.hasPrefix(field == "-" ? "teacher/case.json:" : "teacher/case.json: \(field): "))
        }
    }

    @Test("broken JSON is reported at its line and column, with what to do", arguments: [
        ("{\n  \"id\": \"x.y\",\n  \"title\": \"t\"\n  \"profiles\": []\n}", 4, 3, "expected ',' or '}', found '\"'"),
        (#"{"id": "#, 1, 8, "the file ends inside an object"),
        ("{\n \"a\": [1, 2,]\n}", 2, 13, "expected a value, found ']'"),
        ("{\"a\": \"x\ny\"}", 1, 9, "control character"),
        (#"{"a": tru}"#, 1, 7, "unexpected word"),
        (#"{"é": 01}"#, 1, 7, "cannot start with 0"),
        (#"{} x"#, 1, 4, "after the end"),
        (#"{'a': 1}"#, 1, 2, "expected a key in double quotes"),
        (#"{"a": "\q"}"#, 1, 8, "unknown escape"),
        ("", 1, 1, "ends before any value"),
    ])
    func brokenJSON(json: String, line: Int, column: Int, problem: String) throws {
        // Foundation on Linux accepts the trailing commas; the loader refuses them like jq does.
        if !json.contains(",]") && !json.contains(",\n}") {
            #expect(throws: (any Error).self) { try JSONSerialization.jsonObject(with: Data(json.utf8)) }
        }
        do {
            _ = try FixtureLoader.parse(Data(json.utf8), file: "teacher/case.json")
            Issue.record("expected an error for \(json)")
        } catch {
            #expect(error.line == line && error.column == column, "\(error)")
            #expect(error.problem.contains(problem), "\(error.problem)")
            #expect(error.description.hasPrefix("teacher/case.json:\(line):\(column): not valid JSON: "), "\(error)")
            #expect(error.description.hasSuffix("fix the file there"))
        }
    }

    @Test("the syntax scan agrees with Foundation: silent on every built-in file, and locates an error in every cut-off one")
    func syntaxScanAgrees() throws {
        for file in EmbeddedFixtures.files { #expect(JSONSyntaxScan.firstError(in: Array(file.contents.utf8)) == nil, "\(file.name)") }
        let bytes = Array(try #require(EmbeddedFixtures.files.first).contents.utf8.prefix(1500))
        for length in 0..<bytes.count {
            let prefix = Array(bytes[..<length])
            guard (try? JSONSerialization.jsonObject(with: Data(prefix))) == nil else { continue }
            #expect(JSONSyntaxScan.firstError(in: prefix) != nil, "cut at \(length)")
        }
    }

    @Test("a --fixtures folder that is missing, a file, empty or without fixture files is an error naming it")
    func unusableFolders() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rw-folders-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("case.json")
        try "{}".write(to: file, atomically: true, encoding: .utf8)
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let other = folder.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try "notes".write(to: other.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        try "{}".write(to: other.appendingPathComponent("fixture.schema.json"), atomically: true, encoding: .utf8)
        for (path, problem) in [
            (folder.appendingPathComponent("missing").path, "no such folder; --fixtures takes a folder"),
            (file.path, "is a file, not a folder"),
            (empty.path, "no fixture .json files in this folder"),
            (other.path, "no fixture .json files in this folder"),
        ] {
            #expect {
                try FixtureLoader.load(directory: path)
            } throws: { error in
                guard let error = error as? FixtureError else { return false }
                return error.file == path && error.description == "\(path): \(error.problem)" && error.problem.contains(problem)
            }
        }
    }

    @Test("an error in a folder's file names it by its path under the folder as given")
    func errorNamesPath() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rw-path-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "{\n  \"id\": \"a.b\"\n  \"title\": \"t\"\n}".write(to: folder.appendingPathComponent("sub/broken.json"), atomically: true, encoding: .utf8)
        #expect {
            try FixtureLoader.load(directory: folder.path)
        } throws: { error in
            (error as? FixtureError)?.description.hasPrefix("\(folder.path)/sub/broken.json:3:3: not valid JSON: expected ',' or '}'") == true
        }
    }

    @Test("a teacher's folder adds cases; a duplicate ID is an error naming both files")
    func userFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rw-fixtures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try #"{"id":"teacher.seven","title":"7 is odd","profiles":["parity"],"requirements":["PARITY-1"],"steps":[{"send":"7\n"}],"expect":{"response":{"token":"odd"}}}"#
            .write(to: folder.appendingPathComponent("seven.json"), atomically: true, encoding: .utf8)
        let loaded = try FixtureLoader.load(directory: folder.path)
        #expect(loaded.map(\.id) == ["teacher.seven"])
        #expect(loaded[0].source == "seven.json")
        try #"{"id":"parity.even","title":"dup","profiles":["parity"],"requirements":["PARITY-1"],"steps":[],"expect":{"response":"spec"}}"#
            .write(to: folder.appendingPathComponent("dup.json"), atomically: true, encoding: .utf8)
        let all = try FixtureLoader.builtIn() + FixtureLoader.load(directory: folder.path)
        #expect(throws: FixtureError.self) { try FixtureLoader.checkUniqueIDs(all) }
        #expect(throws: FixtureError.self) { try FixtureLoader.load(directory: folder.appendingPathComponent("missing").path) }
    }
}

@Suite("Catalog: coverage and selection")
struct CatalogTests {
    @Test("every server MUST requirement has at least one check")
    func mustCoverage() throws {
        let fixtures = try FixtureLoader.builtIn()
        let cited = Set(Profile.allCases.flatMap { Catalog(profile: $0, fixtures: fixtures).definitions.flatMap(\.requirements) })
        let uncovered = Requirements.all.filter { $0.level == .must && $0.role == .server && !cited.contains($0.id) }
        #expect(uncovered.isEmpty, "no check cites \(uncovered.map(\.id))")
    }

    @Test("every client MUST requirement has a client check")
    func clientMustCoverage() throws {
        let fixtures = try ClientFixtureLoader.builtIn()
        let cited = Set(Profile.allCases.flatMap { ClientCatalog(profile: $0, fixtures: fixtures).definitions.flatMap(\.requirements) })
        let uncovered = Requirements.all.filter { $0.level == .must && $0.role == .client && !cited.contains($0.id) }
        #expect(uncovered.isEmpty, "no client check cites \(uncovered.map(\.id))")
    }

    @Test("every profile has its own requirements covered by its catalog")
    func profileCoverage() throws {
        let fixtures = try FixtureLoader.builtIn()
        for profile in Profile.allCases {
            let cited = Set(Catalog(profile: profile, fixtures: fixtures).definitions.flatMap(\.requirements))
            let own = Requirements.all.filter { $0.id.hasPrefix(profile.requirementPrefix + "-") && $0.role == .server && $0.level == .must }
            #expect(own.allSatisfy { cited.contains($0.id) }, "\(profile): \(own.filter { !cited.contains($0.id) }.map(\.id))")
        }
    }

    @Test("selectors: IDs, globs and requirement IDs; unknown ones are reported")
    func selectors() throws {
        let catalog = Catalog(profile: .parity, fixtures: try FixtureLoader.builtIn())
        #expect(catalog.unknownSelectors(["parity.even", "parity.*", "PARITY-2", "lifecycle.close"]).isEmpty)
        #expect(catalog.unknownSelectors(["parity.nope", "random.*", "CSV-1"]) == ["parity.nope", "random.*", "CSV-1"])
        let even = try #require(catalog.definitions.first { $0.id == "parity.even" })
        #expect(Catalog.isSelected(even, only: ["parity.*"], skip: []))
        #expect(!Catalog.isSelected(even, only: ["parity.*"], skip: ["PARITY-1"]))
        #expect(!Catalog.isSelected(even, only: ["double.*"], skip: []))
    }

    @Test("shared checks cite only the profile's own requirement IDs")
    func specialised() throws {
        let catalog = Catalog(profile: .bare, fixtures: [])
        let basic = try #require(catalog.builtins.first { $0.id == "basic.exchange" })
        #expect(basic.requirements.contains("BARE-1"))
        #expect(!basic.requirements.contains { $0.hasPrefix("PARITY") || $0.hasPrefix("CSV") })
    }
}
