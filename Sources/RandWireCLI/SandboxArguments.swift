import RandWireArguments
import RandWireSocket

/// `--sandbox auto|bwrap|none`, shared by `grade` and `check --exec`.
enum SandboxArguments {
    /// With `announce`, a missing bubblewrap is said once on stderr (grade); `check --exec`
    /// states it in the report's notes instead, keeping its errors to one line.
    static func sandbox(_ arguments: ParsedArguments, io: CommandIO, announce: Bool = true) throws -> Containment.Sandbox {
        let mode = try arguments.choice("--sandbox", as: Containment.Sandbox.self) ?? .auto
        switch (mode, Containment.bubblewrap) {
        case (.bwrap, nil):
            throw CommandFailure("--sandbox bwrap: bubblewrap is not installed or cannot create namespaces here; install Debian's bubblewrap package, or use --sandbox none",
                                 exitCode: ExitCode.unavailable)
        case (.auto, nil) where announce:
            io.err("note: bubblewrap is not installed (Debian package bubblewrap): student servers run with limits and cgroups but can read what this user can\n")
        default: break
        }
        return mode
    }
}
