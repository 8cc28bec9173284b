#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireArguments
import RandWireConformance
import RandWireSocket

/// `randwire probe`: which profile does this server speak?
enum ProbeCommand {
    static func run(_ arguments: ParsedArguments, io: CommandIO) throws -> Int32 {
        let target = try TargetArguments.endpoint(arguments)
        let timeout = try ProfileArguments.seconds(arguments, "--timeout", in: 0.05...600) ?? .seconds(2)
        let result = Prober.probe(target, timeout: timeout)
        if arguments.flag("--json") {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = (try? encoder.encode(result)) ?? Data()
            io.out(String(decoding: data, as: UTF8.self) + "\n")
        } else {
            io.out("\(target): \(result.profile.map { "profile \($0)" } ?? "profile unknown")\n")
            for line in result.evidence { io.out("  - \(line)\n") }
            if let command = result.suggestedCommand { io.out("next: \(command)\n") }
        }
        if result.profile == nil {
            if result.evidence.first?.hasPrefix("could not connect") == true {
                throw CommandFailure("\(target) could not be reached — is the server running?", exitCode: ExitCode.unavailable)
            }
            return ExitCode.failure
        }
        return ExitCode.success
    }
}
