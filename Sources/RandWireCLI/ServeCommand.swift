import RandWireArguments
import RandWireProtocol
import RandWireServer
import RandWireSocket

/// `randwire serve`: the reference server until SIGINT/SIGTERM.
enum ServeCommand {
    static func run(_ arguments: ParsedArguments, io: CommandIO) throws -> Int32 {
        guard let profile = try ProfileArguments.profile(arguments) else { return ExitCode.usage }
        let parameters = try ProfileArguments.parameters(arguments, profile: profile)
        var configuration = ServerConfiguration(parameters: parameters)
        configuration.host = arguments.value("--host") ?? "127.0.0.1"
        configuration.port = UInt16(try arguments.int("--port", in: 0...65535) ?? Int(profile.defaultPort))
        configuration.threads = try arguments.int("--threads", in: 1...256) ?? Platform.processorCount
        if let timeout = try ProfileArguments.seconds(arguments, "--connection-timeout", in: 0.01...3600) {
            configuration.connectionTimeout = timeout
        }
        if arguments.flag("--log") {
            configuration.logLine = { line in io.err(line + "\n") }
        }
        // Blocked before the server's threads start, so they inherit the mask and a SIGTERM
        // stays pending for the wait below instead of landing on a thread that drops it.
        Platform.blockTerminationSignals()
        let server: ReferenceServer
        do {
            server = try ReferenceServer.start(configuration)
        } catch {
            let place = "\(configuration.host):\(configuration.port)"
            if error.errno == Errno.addressInUse.rawValue {
                throw CommandFailure(
                    "cannot serve on \(place): Address already in use: another server (randwire or not) listens on that port; stop it, or pick another with --port (--port 0 picks a free one)",
                    exitCode: ExitCode.unavailable)
            }
            throw CommandFailure("cannot serve on \(place): \(error.description)", exitCode: ExitCode.unavailable)
        }
        io.out("randwire: serving \(profile) on \(server.endpoint)\n")
        Platform.waitForTerminationSignal()
        server.stop()
        io.err("randwire: stopped\n")
        return ExitCode.success
    }
}
