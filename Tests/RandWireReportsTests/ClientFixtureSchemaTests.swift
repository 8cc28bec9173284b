import Foundation
import RandWireConformance
import RandWireTestSupport
import Testing

/// `Fixtures/client-fixture.schema.json` and the client fixture loader agree: every built-in
/// client fixture is valid, and a broken case is refused by both.
@Suite("Client fixtures against their JSON Schema")
struct ClientFixtureSchemaTests {
    @Test("every file of Fixtures/clients/ is valid against the schema, and loads")
    func builtInValid() throws {
        let validator = try SchemaValidator(schemaFile: "client-fixture.schema.json", folder: "Fixtures")
        let folder = PackagePaths.root.appendingPathComponent("Fixtures/clients")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(files == ["answers.json", "lifecycle.json", "rejections.json"])
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let errors = try validator.validate(text)
            #expect(errors.isEmpty, "\(file): \(errors)")
            let cases = try ClientFixtureLoader.parse(Data(text.utf8), file: file)
            #expect(!cases.isEmpty)
        }
    }

    @Test("a broken case is refused by the schema and by the loader", arguments: [
        #"{"id": "client.x", "title": "t", "profiles": ["bare"], "requirements": ["CLIENT-3"], "serve": [{"send": "a", "waitMs": 1}], "expect": {"client": "reject"}}"#,
        #"{"id": "client.x", "title": "t", "profiles": ["bare"], "requirements": ["CLIENT-3"], "serve": [{"end": "later"}], "expect": {"client": "reject"}}"#,
        #"{"id": "server.x", "title": "t", "profiles": ["bare"], "requirements": ["CLIENT-3"], "serve": [], "expect": {"client": "reject"}}"#,
        #"{"id": "client.x", "title": "t", "profiles": ["bare"], "requirements": ["CLIENT-3"], "serve": [], "expect": {"client": "maybe"}}"#,
        #"{"id": "client.x", "title": "t", "profiles": ["bare"], "requirements": ["CLIENT-3"], "serve": [{"sendPieces": {"text": "1", "pieces": 1, "delayMs": 5}}], "expect": {"client": "answer"}}"#,
        #"{"id": "client.x", "title": "t", "profiles": ["bare"], "requirements": ["CLIENT-3"], "serve": [{"drip": {"text": "7"}}, {"end": "hold"}], "expect": {"client": "reject"}}"#,
        #"{"id": "client.x", "title": "t", "profiles": ["bare"], "requirements": ["CLIENT-3"], "serve": [], "expect": {"client": "answer", "withinMs": 5}}"#,
        #"{"id": "client.x", "title": "t", "profiles": ["bare"], "requirements": ["CLIENT-3"], "serve": [], "expect": {"client": "reject"}, "steps": []}"#,
    ])
    func brokenRefused(_ text: String) throws {
        let validator = try SchemaValidator(schemaFile: "client-fixture.schema.json", folder: "Fixtures")
        let errors = try validator.validate(text)
        #expect(!errors.isEmpty, "the schema accepts \(text)")
        #expect(throws: FixtureError.self, "the loader accepts \(text)") { try ClientFixtureLoader.parse(Data(text.utf8), file: "x.json") }
    }

    @Test("the loader's errors name the field and what to do", arguments: [
        (#"{"id": "client.x", "title": "t", "profiles": ["bare"], "requirements": ["CLIENT-3"], "serve": [{"send": "{answr}"}], "expect": {"client": "reject"}}"#,
         "x.json: serve[0].send: unknown placeholder {answr} (expected one of {answer}, {out-of-range}, {extra-number}, {min}, {max})"),
        (#"{"id": "client.x", "title": "t", "profiles": ["bare"], "requirements": ["CLIENT-3"], "serve": [{"drip": {"text": "7", "everyMs": 100}}], "expect": {"client": "reject"}}"#,
         "x.json: serve: a drip needs {\"end\": \"hold\"}: it goes on while the connection is held"),
        (#"{"id": "client.x", "title": "t", "profiles": ["bare"], "requirements": ["CLIENT-9"], "serve": [], "expect": {"client": "reject"}}"#,
         "x.json: requirements: unknown requirement ID 'CLIENT-9' (see the table in Spec/randwire.md)"),
    ])
    func errorMessages(_ text: String, _ message: String) throws {
        #expect { try ClientFixtureLoader.parse(Data(text.utf8), file: "x.json") } throws: { error in
            (error as? FixtureError)?.description == message
        }
    }
}
