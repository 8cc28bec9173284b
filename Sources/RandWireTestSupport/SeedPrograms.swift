import Foundation

/// A seed-program replica server that announced its address.
package struct SeedServer: Sendable {
    package let process: ManagedProcess
    package let host: String
    package let port: UInt16
}

/// Why a seed program could not be run.
package struct SeedProgramError: Error, Sendable, CustomStringConvertible {
    package let description: String

    package init(_ description: String) {
        self.description = description
    }
}

/// Runs the Python replicas in `Tests/SeedPrograms/` (see its README.md for what each one
/// reproduces). All of them need `python3` (3.8 or later) on `PATH`: guard tests with
/// `.enabled(if: SeedPrograms.pythonAvailable)`.
///
/// Both helpers block the calling thread for a bounded time (≤ 10 s for `startServer`, the given
/// timeout for `runClient`).
package enum SeedPrograms {
    /// Whether a usable `python3` was found. Resolved once, on first use.
    package static var pythonAvailable: Bool { python != nil }

    /// The script for `name`, with or without the `.py` extension (e.g. `seed003_server`).
    package static func script(_ name: String) -> URL {
        let file = name.hasSuffix(".py") ? name : "\(name).py"
        return PackagePaths.seedPrograms.appendingPathComponent(file)
    }

    /// Starts `Tests/SeedPrograms/<name>.py` with python3, `arguments` and `--port 0`, and waits
    /// (≤ 10 s) for its `LISTENING host port` line. The server ends itself after its `--lifetime`
    /// (default 60 s); call `process.terminate()` when done anyway.
    package static func startServer(_ name: String, arguments: [String] = []) throws -> SeedServer {
        let process = try launch(name, arguments + ["--port", "0"], environment: [:])
        let line: String?
        do {
            line = try process.readLine(timeout: .seconds(10))
        } catch {
            process.terminate()
            throw SeedProgramError("\(name) did not announce its port within 10 s; stderr: \(process.standardError)")
        }
        let words = line?.split(separator: " ").map(String.init) ?? []
        guard words.count == 3, words[0] == "LISTENING", let port = UInt16(words[2]), port != 0 else {
            process.terminate()
            _ = process.waitForExit(timeout: .seconds(2))
            throw SeedProgramError(
                "\(name) printed \(line.map { "'\($0)'" } ?? "nothing") instead of 'LISTENING <host> <port>'; "
                    + "exit \(process.exitCode.map(String.init) ?? "?"); stderr: \(process.standardError)"
            )
        }
        return SeedServer(process: process, host: words[1], port: port)
    }

    /// Runs `Tests/SeedPrograms/<name>.py` to completion: writes `stdin` (if any), closes stdin,
    /// and waits at most `timeout`. `environment` is added to the inherited one (for example
    /// `SEED_CLIENT_TIMEOUT` for `seed003_client`). Throws if the program is still running after
    /// `timeout` (it is then killed).
    package static func runClient(
        _ name: String, arguments: [String], stdin: String? = nil, timeout: Duration,
        environment: [String: String] = [:]
    ) throws -> (exitCode: Int32, stdout: String, stderr: String) {
        let process = try launch(name, arguments, environment: environment)
        if let stdin { process.write(stdin) }
        process.closeStandardInput()
        guard let code = process.waitForExit(timeout: timeout) else {
            process.terminate()
            throw SeedProgramError(
                "\(name) still running after \(timeout); stdout: \(process.allStandardOutput) stderr: \(process.standardError)"
            )
        }
        return (code, process.allStandardOutput, process.standardError)
    }

    private static func launch(_ name: String, _ arguments: [String], environment: [String: String]) throws -> ManagedProcess {
        guard let python else { throw SeedProgramError("python3 3.8 or later is not available on PATH") }
        let path = script(name).path
        guard FileManager.default.fileExists(atPath: path) else { throw SeedProgramError("no seed program at \(path)") }
        let settings = [
            "PYTHONUNBUFFERED": "1",  // clients' output reaches the pipe as it is printed
            "PYTHONDONTWRITEBYTECODE": "1",  // no __pycache__ in the source tree
            "PYTHONIOENCODING": "utf-8",  // " ÍMPAR " prints under any locale
        ].merging(environment) { _, given in given }
        return try ManagedProcess.start(python, [path] + arguments, environment: settings)
    }

    /// The real interpreter behind `python3` on PATH. Asking it for `sys.executable` skips
    /// wrapper scripts such as pyenv shims, which cost ~100 ms per start.
    package static let python: String? = {
        guard let onPath = ManagedProcess.findExecutable("python3"),
            let probe = try? ManagedProcess.start(
                onPath, ["-c", "import sys; assert sys.version_info >= (3, 8); print(sys.executable)"])
        else { return nil }
        defer { probe.terminate() }
        guard probe.waitForExit(timeout: .seconds(30)) == 0 else { return nil }
        let resolved = probe.allStandardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        return FileManager.default.isExecutableFile(atPath: resolved) ? resolved : onPath
    }()
}
