#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireArguments
import RandWireConformance
import RandWireProtocol

/// `randwire completions bash|zsh|fish`: a completion script from the command tree itself.
enum CompletionsCommand {
    static func run(_ arguments: ParsedArguments, io: CommandIO) throws -> Int32 {
        let name = arguments.positionals.first ?? ""
        guard let shell = CompletionScript.Shell(rawValue: name) else {
            throw UsageError("The value '\(name)' is invalid for '<shell>': expected bash, zsh or fish")
        }
        io.out(CompletionScript.script(for: CommandTree.root, shell: shell, values: values))
        return ExitCode.success
    }

    /// `randwire manual`: the man page, dated today.
    static func manual(io: CommandIO) -> Int32 {
        let date = String(Date.now.formatted(.iso8601).prefix(10))
        io.out(ManualPage.page(for: CommandTree.root, version: RandWireVersion.current, date: date))
        return ExitCode.success
    }

    /// What each option's value completes to, by its value name.
    static func values(_ option: OptionSpec) -> CompletionScript.Values {
        switch option.valueName {
        case "profile": .words(Profile.allCases.map(\.rawValue))
        case "file", "dir": .files
        case "list" where option.names.contains("--format"): .words(["human", "json", "junit", "tap", "gradescope", "html"])
        default: .none
        }
    }
}
