import Foundation
import RandWireTestSupport
import Testing

/// `randwire completions`: scripts generated from the command tree, checked by the shells.
@Suite("Shell completions", .timeLimit(.minutes(1)))
struct CompletionTests {
    static func script(_ shell: String) async throws -> URL {
        let run = await randwire(["completions", shell], terminal: nil)
        #expect(run.code == 0, "\(run.err)")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("randwire-completion-\(UUID().uuidString).\(shell)")
        try run.out.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// What the bash completion offers for `words`, the last one being completed.
    static func complete(_ script: URL, _ words: [String]) throws -> [String] {
        let quoted = words.map { "'\($0)'" }.joined(separator: " ")
        let process = try ManagedProcess.start("/bin/bash", ["-c", "source '\(script.path)'; COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); _randwire; printf '%s\\n' \"${COMPREPLY[@]}\""])
        defer { process.terminate() }
        #expect(process.waitForExit(timeout: .seconds(20)) == 0, "\(process.standardError)")
        return process.allStandardOutput.split(separator: "\n").map(String.init)
    }

    @Test("bash: subcommands, options and option values complete as the parser takes them")
    func bash() async throws {
        let script = try await Self.script("bash")
        defer { try? FileManager.default.removeItem(at: script) }
        let syntax = try ManagedProcess.start("/bin/bash", ["-n", script.path])
        #expect(syntax.waitForExit(timeout: .seconds(10)) == 0, "\(syntax.standardError)")
        #expect(try Self.complete(script, ["randwire", "ch"]) == ["check", "check-client"])
        #expect(try Self.complete(script, ["randwire", "check", "--profile", "p"]) == ["parity"])
        #expect(try Self.complete(script, ["randwire", "grade", "--sa"]) == ["--sandbox", "--samples"])
        #expect(try Self.complete(script, ["randwire", "check", "--format", ""]) == ["human", "json", "junit", "tap", "gradescope", "html"])
        #expect(try Self.complete(script, ["randwire", "get", "--terminator", "h"]) == ["half-close"])
        #expect(try Self.complete(script, ["randwire", "serve", "--port", ""]).isEmpty, "a port is not guessed")
    }

    @Test("every subcommand and option is in every script")
    func complete() async throws {
        for shell in ["bash", "zsh", "fish"] {
            let run = await randwire(["completions", shell], terminal: nil)
            for word in ["serve", "get", "check", "check-client", "probe", "bench", "grade", "completions"] {
                #expect(run.out.contains(word), "\(shell): \(word)")
            }
            for option in ["sandbox", "exec", "expect-output", "shard", "known-failures", "too-long"] {
                #expect(run.out.contains(option), "\(shell): --\(option)")
            }
        }
    }

    @Test("zsh and fish scripts parse in their shells", .enabled(if: ManagedProcess.findExecutable("zsh") != nil || ManagedProcess.findExecutable("fish") != nil, "neither zsh nor fish is installed"))
    func otherShells() async throws {
        for (shell, flag) in [("zsh", "-n"), ("fish", "--no-execute")] {
            guard let path = ManagedProcess.findExecutable(shell) else { continue }
            let script = try await Self.script(shell)
            defer { try? FileManager.default.removeItem(at: script) }
            let check = try ManagedProcess.start(path, [flag, script.path])
            #expect(check.waitForExit(timeout: .seconds(10)) == 0, "\(shell): \(check.standardError)")
        }
    }

    @Test("the man page renders in man, without roff warnings, with every subcommand and option",
          .enabled(if: ManagedProcess.findExecutable("man") != nil && ManagedProcess.findExecutable("groff") != nil, "man and groff are not installed"))
    func manualPage() async throws {
        let run = await randwire(["manual"], terminal: nil)
        #expect(run.code == 0)
        let page = FileManager.default.temporaryDirectory.appendingPathComponent("randwire-\(UUID().uuidString).1")
        try run.out.write(to: page, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: page) }
        let lint = try ManagedProcess.start("groff", ["-ww", "-man", "-z", page.path])
        #expect(lint.waitForExit(timeout: .seconds(20)) == 0)
        #expect(lint.standardError.isEmpty, "roff warnings: \(lint.standardError)")
        let shown = try ManagedProcess.start("man", ["-l", page.path], environment: ["MANWIDTH": "100", "MANPAGER": "cat", "PAGER": "cat"])
        #expect(shown.waitForExit(timeout: .seconds(20)) == 0, "\(shown.standardError)")
        let text = shown.allStandardOutput.replacingOccurrences(of: "\u{2010}", with: "-")
        for word in ["randwire serve", "randwire check-client", "randwire grade", "--sandbox", "--expect-output", "--shard"] {
            #expect(text.contains(word), "\(word) missing from the rendered page")
        }
    }

    @Test("an unknown shell is a usage error")
    func unknownShell() async {
        let run = await randwire(["completions", "tcsh"], terminal: nil)
        #expect(run.code == 64)
        #expect(run.err.hasPrefix("Error: The value 'tcsh' is invalid for '<shell>'"), "\(run.err)")
    }
}
