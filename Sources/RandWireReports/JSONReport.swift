#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireConformance

/// The JSON report: the `RunReport` object with a `score` member added at its root, so the
/// document still decodes as a `RunReport` and `jq .results` works unchanged.
enum JSONReport {
    struct Root: Encodable {
        let report: RunReport
        let score: Score

        enum Key: String, CodingKey { case score }

        func encode(to encoder: any Encoder) throws {
            // Both write into the same keyed container: one flat object.
            try report.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(score, forKey: .score)
        }
    }

    static func render(_ report: RunReport, score: Score) -> String {
        encode(Root(report: report, score: score))
    }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // A NaN in a hand-written fixture must not cost the whole report.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do {
            let data = try encoder.encode(value)
            return String(decoding: data, as: UTF8.self) + "\n"
        } catch {
            return "{\"error\": \(TextEscaping.yamlQuoted("cannot encode the report: \(error)"))}\n"
        }
    }
}
