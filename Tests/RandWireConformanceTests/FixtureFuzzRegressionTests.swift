import Foundation
import RandWireConformance
import Testing

/// Fixture files the `fixtures` fuzz target (Fuzz/) found crashing the loader.
@Suite("Fixture loader: fuzz regressions")
struct FixtureFuzzRegressionTests {
    private func load(repeat count: String, unit: String = "\"text\":\"ab\"") -> Result<[Fixture], FixtureError> {
        let json = """
            {"id":"x.r","title":"t","profiles":["parity"],"requirements":["PARITY-1"],
             "steps":[{"send":{\(unit),"repeat":\(count)}}],"expect":{"response":"any"}}
            """
        return Result { () throws(FixtureError) in try FixtureLoader.parse(Data(json.utf8), file: "r.json") }
    }

    /// count * unit.count overflowed Int and trapped: `--fixtures` with a hostile file crashed the runner.
    @Test("a repeat count that overflows is a field error, not a trap", arguments: [
        "9223372036854775807", "4611686018427387904", "9223372036854775806",
    ])
    func repeatOverflow(count: String) {
        guard case let .failure(error) = load(repeat: count) else {
            Issue.record("loaded a \(count)-fold repeat")
            return
        }
        #expect(error.field == "steps[0].send.repeat")
    }

    @Test("repeat still works, and is refused beyond 4 MiB")
    func repeatLimit() throws {
        let fixtures = try load(repeat: "1000").get()
        guard case let .send(bytes)? = fixtures.first?.steps.first else {
            Issue.record("no send step")
            return
        }
        #expect(bytes.count == 2000 && bytes.prefix(4) == [0x61, 0x62, 0x61, 0x62])
        if case .success = load(repeat: "\((2 << 20) + 1)") { Issue.record("accepted more than 4 MiB") }
    }
}
