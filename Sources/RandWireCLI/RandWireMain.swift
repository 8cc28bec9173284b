import RandWireSocket
import RandWireArguments
import RandWireConformance
import RandWireProtocol

/// Entry point of the `randwire` executable, and of in-process CLI tests.
package enum RandWireMain {
    package static func exitWithRun() -> Never {
        // A closed stdout pipe or a peer gone mid-write must give an error, never a silent death.
        Platform.ignoreBrokenPipes()
        Platform.exitProcess(run(Array(CommandLine.arguments.dropFirst()), io: .process))
    }

    /// Parses `arguments` (without the program name), runs the command and returns its exit code.
    package static func run(_ arguments: [String], io: CommandIO) -> Int32 {
        let command: CommandSpec
        let parsed: ParsedArguments
        do {
            (command, parsed) = try ArgumentParser.parse(arguments, root: CommandTree.root)
        } catch {
            switch error {
            case let .help(path):
                io.out(ArgumentParser.helpText(for: path, width: terminalWidth(io)))
                return ExitCode.success
            case .version:
                io.out("randwire \(RandWireVersion.current)\n")
                return ExitCode.success
            case let .usage(usageError, path):
                io.err(ArgumentParser.usageErrorText(usageError, path: path))
                return ExitCode.usage
            }
        }
        let path = [CommandTree.root] + (CommandTree.root.subcommand(named: command.name).map { [$0] } ?? [])
        do {
            switch command.name {
            case "serve": return try ServeCommand.run(parsed, io: io)
            case "get": return try GetCommand.run(parsed, io: io)
            case "check": return try CheckCommand.run(parsed, io: io)
            case "check-client": return try CheckClientCommand.run(parsed, io: io)
            case "completions": return try CompletionsCommand.run(parsed, io: io)
            case "manual": return CompletionsCommand.manual(io: io)
            case "probe": return try ProbeCommand.run(parsed, io: io)
            case "bench": return try BenchCommand.run(parsed, io: io)
            case "grade": return try GradeCommand.run(parsed, io: io)
            default:
                io.out(ArgumentParser.helpText(for: [CommandTree.root], width: terminalWidth(io)))
                return ExitCode.success
            }
        } catch let error as UsageError {
            io.err(ArgumentParser.usageErrorText(error, path: path))
            return ExitCode.usage
        } catch let error as CommandFailure {
            io.err("Error: \(error.description)\n")
            return error.exitCode
        } catch {
            io.err("Error: \(error)\n")
            return ExitCode.failure
        }
    }

    static func terminalWidth(_ io: CommandIO) -> Int {
        if let columns = io.environment["COLUMNS"].flatMap(Int.init), columns >= 40 { return min(columns, 200) }
        return 80
    }
}
