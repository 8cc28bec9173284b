import Dispatch
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
        // Signals are turned into events before the server starts, so none is lost.
        Platform.ignoreTerminationSignals()
        let stopped = DispatchSemaphore(value: 0)
        let queue = DispatchQueue(label: "randwire.signals")
        let sources = [Platform.interruptSignal, Platform.terminateSignal].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { stopped.signal() }
            source.resume()
            return source
        }
        let server: ReferenceServer
        do {
            server = try ReferenceServer.start(configuration)
        } catch {
            sources.forEach { $0.cancel() }
            let place = "\(configuration.host):\(configuration.port)"
            if error.errno == Errno.addressInUse.rawValue {
                throw CommandFailure(
                    "cannot serve on \(place): Address already in use: another server (randwire or not) listens on that port; stop it, or pick another with --port (--port 0 picks a free one)",
                    exitCode: ExitCode.unavailable)
            }
            throw CommandFailure("cannot serve on \(place): \(error.description)", exitCode: ExitCode.unavailable)
        }
        io.out("randwire: serving \(profile) on \(server.endpoint)\n")
        stopped.wait()
        server.stop()
        sources.forEach { $0.cancel() }
        io.err("randwire: stopped\n")
        return ExitCode.success
    }
}
