import RandWireConformance
import RandWireSocket
import Synchronization

/// A server started from a command (a roster row, `check --exec`), watched while it is checked
/// and restarted when it dies, so that every check is judged. Each start gets a fresh port when
/// the command takes `{port}`/`$PORT`; a program with a fixed port is restarted on that port,
/// waiting while the old one's port is still in use.
package final class SupervisedServer: TargetSupervisor {
    package struct Settings: Sendable {
        package var command: String
        package var shell = false
        package var startupTimeout: Duration = .seconds(10)
        package var stopGrace: Duration = .seconds(1)
        package var restartBudget = 20
        /// The port of a program that does not take `{port}`/`$PORT`.
        package var fixedPort: UInt16?
        /// How long a restart on a fixed port keeps trying while the port is still taken.
        package var fixedPortWait: Duration = .seconds(15)
        /// What contains the command; nil runs it as the grader's own process (trusted servers).
        package var containment: Containment?
        /// Names the student's cgroups.
        package var name = "server"

        package init(command: String) {
            self.command = command
        }
    }

    struct Running: Sendable {
        var process: ChildProcess?
        var plan: Containment.Plan?
        var launch: LaunchRecord
        var endpoint: Endpoint
        /// Every start before the current one, with how it ended.
        var earlier: [LaunchRecord] = []
    }

    package let settings: Settings
    private let state: Mutex<Running>

    package var restartBudget: Int { settings.restartBudget }

    private init(settings: Settings, running: Running) {
        self.settings = settings
        self.state = Mutex(running)
    }

    /// Starts the server; the launch record says how that went when it did not start.
    package static func start(_ settings: Settings) -> Result<SupervisedServer, LaunchFailure> {
        let (launch, process, host, plan) = launch(settings)
        guard let process, let host else { return .failure(LaunchFailure(launch: launch)) }
        let running = Running(process: process, plan: plan, launch: launch, endpoint: Endpoint(host: host, port: launch.port))
        return .success(SupervisedServer(settings: settings, running: running))
    }

    package struct LaunchFailure: Error, Sendable {
        package let launch: LaunchRecord
    }

    /// Whether a command takes its port from the grader.
    package static func takesPort(_ command: String) -> Bool {
        command.contains("{port}") || command.contains("$PORT") || command.contains("${PORT}")
    }

    package var endpoint: Endpoint { state.withLock { $0.endpoint } }

    /// The current start's record.
    package var launch: LaunchRecord { state.withLock { $0.launch } }

    package func death(grace: Duration) -> ServerDeath? {
        guard let process = state.withLock({ $0.process }) else { return nil }
        guard let status = process.waitForExit(timeout: grace) else { return nil }
        // Its last words: a traceback is written before the process ends, but read after.
        _ = process.waitForEndOfOutput(timeout: .milliseconds(200))
        return ServerDeath(status: status.description, stderrTail: process.standardError.lastLines(6))
    }

    package func restart() -> Result<Endpoint, RestartRefusal> {
        let (old, oldPlan) = state.withLock { running -> (ChildProcess?, Containment.Plan?) in
            defer { running.process = nil; running.plan = nil }
            return (running.process, running.plan)
        }
        var record = launch
        if let old { record = Self.finish(old, record: record, grace: settings.stopGrace, plan: oldPlan) }
        let deadline = Deadline.after(settings.fixedPortWait)
        while true {
            let (launch, process, host, plan) = Self.launch(settings)
            if let process, let host {
                let endpoint = Endpoint(host: host, port: launch.port)
                state.withLock { running in
                    running.earlier.append(record)
                    running.process = process
                    running.plan = plan
                    running.launch = launch
                    running.endpoint = endpoint
                }
                return .success(endpoint)
            }
            // A fixed port may still be held by the old connections (TIME_WAIT without
            // SO_REUSEADDR): try again until the wait is over.
            guard settings.fixedPort != nil, !deadline.hasPassed, case .exited = launch.startup else {
                state.withLock { $0.earlier.append(record) }
                return .failure(RestartRefusal("\(launch.startup)" + (settings.fixedPort != nil ? " (its fixed port \(launch.port) may still be in use by the last run's connections)" : "")))
            }
            Platform.sleep(untilMonotonic: Deadline.after(.milliseconds(500)).nanoseconds)
        }
    }

    /// Stops the server; the record of the last start, with its exit and output.
    package func stop() -> LaunchRecord {
        let (process, record, plan) = state.withLock { running -> (ChildProcess?, LaunchRecord, Containment.Plan?) in
            defer { running.process = nil; running.plan = nil }
            return (running.process, running.launch, running.plan)
        }
        guard let process else { return record }
        let finished = Self.finish(process, record: record, grace: settings.stopGrace, plan: plan)
        state.withLock { $0.launch = finished }
        return finished
    }

    /// Records how `process` ended, stopping it if it has not.
    static func finish(_ process: ChildProcess, record: LaunchRecord, grace: Duration, plan: Containment.Plan?) -> LaunchRecord {
        var record = record
        if PortProbe.listeningHost(port: record.port) == nil {
            // No longer listening: it crashed or quit and may still be finishing its exit; let
            // it, so the record gives its own exit status rather than our SIGTERM.
            _ = process.waitForExit(timeout: .seconds(1))
        }
        let stopped = process.stop(grace: grace)
        record.exit = stopped.status
        record.exitedByItself = stopped.exitedByItself && record.startup.started
        record.standardOutput = process.standardOutput
        record.standardError = process.standardError
        if let plan { Containment.release(plan) }
        return record
    }

    /// Starts the command once and waits until it listens, exits or runs out of start-up time.
    static func launch(_ settings: Settings) -> (LaunchRecord, ChildProcess?, host: String?, plan: Containment.Plan?) {
        var launch = LaunchRecord(command: settings.command, arguments: [], shell: settings.shell, port: 0, startup: .launchFailed(""))
        let port: UInt16
        if let fixed = settings.fixedPort {
            port = fixed
        } else {
            do {
                port = try PortProbe.freePort()
            } catch {
                launch.startup = .launchFailed("no free port to give the server: \(error.description)")
                return (launch, nil, nil, nil)
            }
        }
        launch.port = port
        do {
            launch.arguments = try ClassGrader.launchArguments(settings.command, port: port, shell: settings.shell)
        } catch {
            launch.startup = .launchFailed("cannot split the command: \(error.description)")
            return (launch, nil, nil, nil)
        }
        var spawn = launch.arguments
        var environment = ["PORT": String(port)]
        var plan: Containment.Plan?
        if var containment = settings.containment {
            spawn = Containment.absolutized(spawn)
            if let program = spawn.first, !program.contains("/") {
                launch.startup = .launchFailed("cannot start '\(program)': no such program (is it on PATH, or is the path right?)")
                return (launch, nil, nil, nil)
            }
            if !Containment.othersMayRun(spawn) { containment.userID = nil }
            do {
                let made = try containment.plan(spawn, port: port, name: settings.name)
                plan = made
                spawn = made.arguments
                environment = made.environment
                launch.containment = made.notes
            } catch {
                launch.startup = .launchFailed(error.description)
                return (launch, nil, nil, nil)
            }
        }
        let process: ChildProcess
        do {
            process = try ChildProcess.start(spawn, environment: environment, inheritEnvironment: plan == nil)
        } catch {
            if let plan { Containment.release(plan) }
            launch.startup = .launchFailed(error.description)
            return (launch, nil, nil, nil)
        }
        let launched = Deadline.now
        let startupDeadline = launched.adding(settings.startupTimeout)
        while true {
            if let listening = PortProbe.listeningHost(port: port) {
                if PortProbe.listener(on: port, belongsTo: process.pid) == false {
                    // Someone else's server took the port: never grade one server as another's.
                    launch.startup = .launchFailed("port \(port) is held by a process that is not this server's; refusing to check someone else's server")
                    launch = finish(process, record: launch, grace: settings.stopGrace, plan: plan)
                    return (launch, nil, nil, nil)
                }
                launch.startup = .listening(host: listening, after: Deadline.now - launched)
                return (launch, process, listening, plan)
            }
            if let status = process.exitStatus {
                launch.startup = .exited(status, after: Deadline.now - launched)
                launch = finish(process, record: launch, grace: settings.stopGrace, plan: plan)
                return (launch, nil, nil, nil)
            }
            if startupDeadline.hasPassed {
                // One last look through the whole table before giving up on it.
                if let listening = PortProbe.listeningHost(port: port, thorough: true) {
                    launch.startup = .listening(host: listening, after: Deadline.now - launched)
                    return (launch, process, listening, plan)
                }
                launch.startup = .timedOut(after: Deadline.now - launched)
                launch = finish(process, record: launch, grace: settings.stopGrace, plan: plan)
                return (launch, nil, nil, nil)
            }
            _ = process.waitForExit(timeout: .milliseconds(20))
        }
    }
}
