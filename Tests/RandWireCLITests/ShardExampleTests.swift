import Foundation
import Testing
import RandWireArguments
@testable import RandWireCLI
import RandWireGrading
import RandWireTestSupport

/// A YAML sanity check for the examples, without a YAML library: no tabs, even indentation,
/// and every line a `key:` line, a `- ` list item, a `---` document separator, or the body of a
/// block scalar (`key: |`) or of a list item indented under its parent.
enum YAMLSanity {
    static func problems(_ text: String) -> [String] {
        var problems: [String] = []
        var blockIndent: Int?
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " }
            let indent = line.count - trimmed.count
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if let block = blockIndent, indent > block { continue }
            blockIndent = nil
            if line.contains("\t") { problems.append("line \(number + 1): a tab") }
            if indent % 2 != 0 { problems.append("line \(number + 1): odd indentation") }
            var content = trimmed
            if content == "---" { continue }
            if content.hasPrefix("- ") { content = content.dropFirst(2) }
            let isKey = content.range(of: #"^[A-Za-z0-9_.${}\- ]+:( |$)"#, options: .regularExpression) != nil
            if !isKey && !trimmed.hasPrefix("- ") {
                problems.append("line \(number + 1): neither 'key:' nor '- item': \(line)")
            }
            if content.hasSuffix(": |") { blockIndent = indent }
        }
        return problems
    }
}

@Suite("Examples: sharded grading on CI matrices and Kubernetes")
struct ShardExampleTests {
    static let files = ["github-actions-shards.yml", "k8s-indexed-job.yaml"]

    static func text(_ name: String) throws -> String {
        try String(contentsOf: PackagePaths.root.appendingPathComponent("Examples").appendingPathComponent(name), encoding: .utf8)
    }

    /// Every `randwire …` command line of an example, with the engines' placeholders filled in.
    static func commands(_ text: String) -> [[String]] {
        text.split(separator: "\n").compactMap { line -> [String]? in
            guard !line.trimmingCharacters(in: .whitespaces).hasPrefix("#"),
                  let start = line.range(of: #"(\./)?randwire grade"#, options: .regularExpression) else { return nil }
            let command = line[start.lowerBound...]
                .replacingOccurrences(of: "${{ matrix.shard }}", with: "1")
                .replacingOccurrences(of: "$JOB_COMPLETION_INDEX", with: "0")
            return command.split(separator: " ").dropFirst().map(String.init)
        }
    }

    @Test("the examples are well-formed YAML (PyYAML too, when installed)", arguments: files)
    func yaml(file: String) throws {
        let text = try Self.text(file)
        #expect(YAMLSanity.problems(text) == [])
        // The check itself catches what it claims to.
        let broken = YAMLSanity.problems(text + "\tbroken: 1\n   odd: 2\nnot a key line\n").joined(separator: "; ")
        #expect(broken.contains("a tab") && broken.contains("odd indentation") && broken.contains("not a key line"), "\(broken)")
        if let probe = try? ManagedProcess.start("python3", ["-c", "import yaml"]), probe.waitForExit(timeout: .seconds(20)) == 0 {
            let path = PackagePaths.root.appendingPathComponent("Examples").appendingPathComponent(file).path
            let load = try ManagedProcess.start("python3", ["-c", "import sys, yaml; list(yaml.safe_load_all(open(sys.argv[1])))", path])
            #expect(load.waitForExit(timeout: .seconds(20)) == 0, "PyYAML rejects \(file)")
        }
    }

    @Test("every randwire command in the examples parses, and its --shard is valid", arguments: files)
    func commandsParse(file: String) throws {
        let commands = Self.commands(try Self.text(file))
        #expect(commands.contains { $0.contains("--shard") }, "a grading step")
        #expect(commands.contains { $0.contains("--merge") }, "a merge step")
        for arguments in commands {
            let (command, parsed) = try ArgumentParser.parse(arguments, root: CommandTree.root)
            #expect(command.name == "grade", "\(arguments)")
            if let shard = parsed.value("--shard") {
                _ = try Shard.parse(shard, environment: ["JOB_COMPLETION_INDEX": "0"])
            }
            if parsed.flag("--merge") { #expect(!parsed.positionalValues("shard-dir").isEmpty) }
        }
    }
}
