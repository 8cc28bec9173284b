/// One left-to-right pass over argv that resolves subcommands, options and positionals.
///
/// It keeps going after the first error so that a later `--help` still wins (`tool check
/// --bogus --help` shows help rather than an error), and reports only the first error.
struct CommandLineScanner {
    private var path: [CommandSpec]
    /// Options of every command on the path, root first; a subcommand's spelling shadows its
    /// ancestors' through `slots`.
    private var options: [OptionSpec] = []
    private var slots: [String: Int] = [:]
    private var occurrences: [[ParsedArguments.Occurrence]] = []
    private var positionals: [String] = []
    private var helpRequested = false
    private var versionRequested = false
    /// After `help` the remaining words name the command whose help to show.
    private var inHelpPseudoCommand = false
    /// After an unknown subcommand, later words cannot be interpreted.
    private var lostTrack = false
    private var firstError: UsageError?

    init(root: CommandSpec) {
        path = []
        enter(root)
    }

    mutating func parse(_ arguments: [String]) throws(ParseOutcome) -> (CommandSpec, ParsedArguments) {
        var index = arguments.startIndex
        var optionsEnded = false
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            if optionsEnded {
                word(argument, literal: true)
            } else if argument == "--" {
                optionsEnded = true
            } else if argument == "-h" || argument == "--help" {
                helpRequested = true
            } else if argument.hasPrefix("--") {
                longOption(argument, rest: arguments, index: &index)
            } else if argument.hasPrefix("-") && argument.count > 1 && !Self.looksNumeric(argument) {
                shortOptions(argument, rest: arguments, index: &index)
            } else {
                word(argument, literal: false)
            }
        }
        return try finish()
    }

    private mutating func finish() throws(ParseOutcome) -> (CommandSpec, ParsedArguments) {
        if helpRequested { throw .help(path: path) }
        if versionRequested { throw .version }
        if let firstError { throw .usage(firstError, path: path) }
        if inHelpPseudoCommand { throw .help(path: path) }
        // swift-format-ignore: NeverForceUnwrap
        let leaf = path.last!
        if !leaf.subcommands.isEmpty { throw .help(path: path) }
        if let error = Self.checkPositionals(positionals, against: leaf.positionals) {
            throw .usage(error, path: path)
        }
        let parsed = ParsedArguments(
            command: path.map(\.name), positionals: positionals, options: options, slots: slots,
            occurrences: occurrences, positionalSpecs: leaf.positionals)
        return (leaf, parsed)
    }

    // MARK: Words

    /// A non-option word: a subcommand name on a command with subcommands, else a positional.
    private mutating func word(_ argument: String, literal: Bool) {
        guard !lostTrack else { return }
        // swift-format-ignore: NeverForceUnwrap
        let current = path.last!
        if current.subcommands.isEmpty {
            if inHelpPseudoCommand {
                fail("Unexpected argument '\(argument)'")
            } else {
                positionals.append(argument)
            }
            return
        }
        if let subcommand = current.subcommand(named: argument), !literal {
            enter(subcommand)
        } else if argument == "help", !literal, !inHelpPseudoCommand {
            inHelpPseudoCommand = true
        } else if literal {
            fail("Unexpected argument '\(argument)'")
        } else {
            lostTrack = true
            fail(Self.unknownSubcommandMessage(argument, of: current))
        }
    }

    private mutating func enter(_ command: CommandSpec) {
        path.append(command)
        for option in command.options {
            let slot = options.count
            options.append(option)
            occurrences.append([])
            for name in option.names { slots[name] = slot }
        }
    }

    // MARK: Options

    private mutating func longOption(_ argument: String, rest: [String], index: inout Int) {
        let name: String
        let inlineValue: String?
        if let equals = argument.firstIndex(of: "=") {
            name = String(argument[..<equals])
            inlineValue = String(argument[argument.index(after: equals)...])
        } else {
            name = argument
            inlineValue = nil
        }
        guard let slot = slots[name] else {
            if name == "--version" && path.count == 1 && inlineValue == nil {
                versionRequested = true
            } else {
                fail(unknownOptionMessage(name))
            }
            return
        }
        take(slot, spelledAs: name, inlineValue: inlineValue, rest: rest, index: &index)
    }

    /// `-c`, `-c64`, `-c=64`, `-c 64` and grouped flags `-vq` (optionally ending in a
    /// value-taking option, `-vc64`).
    private mutating func shortOptions(_ argument: String, rest: [String], index: inout Int) {
        let characters = Array(argument.dropFirst())
        let first = "-\(characters[0])"
        guard slots[first] != nil || first == "-h" else {
            fail(unknownOptionMessage(argument))
            return
        }
        var position = 0
        while position < characters.count {
            let name = "-\(characters[position])"
            position += 1
            if name == "-h" {
                helpRequested = true
                continue
            }
            guard let slot = slots[name] else {
                fail(unknownOptionMessage(name))
                return
            }
            if options[slot].isFlag {
                if position < characters.count && characters[position] == "=" {
                    fail(Self.noValueMessage(name, value: String(characters[(position + 1)...])))
                    return
                }
                record(slot, spelledAs: name, value: nil)
                continue
            }
            var attached = characters[position...]
            if attached.first == "=" { attached = attached.dropFirst() }
            let inlineValue = position < characters.count ? String(attached) : nil
            take(slot, spelledAs: name, inlineValue: inlineValue, rest: rest, index: &index)
            return
        }
    }

    /// Records one occurrence of the option in `slot`, taking its value from `inlineValue` or,
    /// for a value-taking option, from the next argument.
    private mutating func take(
        _ slot: Int, spelledAs name: String, inlineValue: String?, rest: [String], index: inout Int
    ) {
        let spec = options[slot]
        if spec.isFlag {
            if let inlineValue {
                fail(Self.noValueMessage(name, value: inlineValue))
            } else {
                record(slot, spelledAs: name, value: nil)
            }
            return
        }
        if let inlineValue {
            record(slot, spelledAs: name, value: inlineValue)
        } else if index < rest.endIndex && Self.canBeValue(rest[index]) {
            record(slot, spelledAs: name, value: rest[index])
            index += 1
        } else {
            fail("Missing value for '\(spec.synopsis(as: name))'")
        }
    }

    private mutating func record(_ slot: Int, spelledAs name: String, value: String?) {
        occurrences[slot].append(.init(name: name, value: value))
    }

    private mutating func fail(_ message: String) {
        if firstError == nil { firstError = UsageError(message) }
    }

    // MARK: Messages and checks

    private func unknownOptionMessage(_ name: String) -> String {
        var known = options.flatMap(\.names) + ["--help"]
        if path.count == 1 { known.append("--version") }
        // Single letters are all within distance 2 of each other, so only long spellings
        // (including a mistyped `-port`) get a suggestion, and only long names are offered.
        let isLongish = name.hasPrefix("--") || name.count > 2
        let candidates = known.filter { $0.hasPrefix("--") && $0 != name }
        if isLongish, let suggestion = EditDistance.closest(to: name, among: candidates) {
            return "Unknown option '\(name)'. Did you mean '\(suggestion)'?"
        }
        return "Unknown option '\(name)'"
    }

    private static func unknownSubcommandMessage(_ name: String, of command: CommandSpec) -> String {
        let names = command.subcommands.map(\.name)
        var message = "Unknown subcommand '\(name)'."
        if let suggestion = EditDistance.closest(to: name, among: names) {
            message += " Did you mean '\(suggestion)'?"
        }
        return message + " Valid subcommands: \(names.joined(separator: ", "))."
    }

    private static func noValueMessage(_ name: String, value: String) -> String {
        "The option '\(name)' does not take any value, but '\(value)' was specified."
    }

    /// Binds positionals in order; only the first problem is reported.
    static func checkPositionals(_ values: [String], against specs: [PositionalSpec]) -> UsageError? {
        var remaining = values.count
        for spec in specs {
            if remaining == 0 {
                if !spec.isOptional { return UsageError("Missing expected argument '\(spec.label)'") }
                continue
            }
            remaining = spec.isVariadic ? 0 : remaining - 1
        }
        guard remaining == 0 else { return UsageError("Unexpected argument '\(values[values.count - remaining])'") }
        return nil
    }

    /// An argument that may follow a value-taking option as its value.
    private static func canBeValue(_ argument: String) -> Bool {
        !argument.hasPrefix("-") || argument == "-" || looksNumeric(argument)
    }

    /// `-5`, `-0.25`, `-.5`, `-1e3`: a negative number, not an option cluster.
    static func looksNumeric(_ argument: String) -> Bool {
        let body = argument.dropFirst()
        guard argument.hasPrefix("-"), let first = body.first, first == "." || first.isASCII && first.isNumber
        else { return false }
        return Double(argument) != nil
    }
}
