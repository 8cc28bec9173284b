#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireProtocol
import RandWireSocket

/// What `randwire check-client` needs to run a client program against the harness.
package struct ClientRunConfiguration: Sendable {
    package var parameters: ProfileParameters
    /// The client's command, split; `{port}`, `{host}`, `$PORT` and `{port1}`… are replaced per check.
    package var command: [String]
    /// The port a client with a built-in port connects to; nil: a fresh port per check.
    package var fixedPort: UInt16?
    /// Written to the client's stdin, then stdin is closed (seed 003's client reads its number).
    package var input: String?
    /// What a request, parity or double client is asked to send, as `{request}` in its command
    /// (default: the profile's seed request, `42` for parity).
    package var request: String?
    /// How the client prints its answer, with `{answer}` where the answer goes; nil: the answer
    /// as a whole token anywhere in its output.
    package var expectOutput: String?
    /// The bound of every check: a client still running then fails LIMIT-3.
    package var clientTimeout: Duration = .seconds(10)
    /// The whole run's bound: checks it would cut short are not judged (checker-limited).
    package var runTimeout: Duration = .seconds(300)
    /// Several servers for a failover client (double, DOUBLE-4); a 0 is a free port.
    package var failoverPorts: [UInt16] = []
    /// The client repeats exchanges forever (seed 004's): its first exchange is judged, then it
    /// is stopped, and its exit status is not judged.
    package var loops = false
    package var only: [String] = []
    package var skip: [String] = []
    package var strict = false
    package var knownFailures: Set<String> = []
    /// The scripted behaviours: the built-in `Fixtures/clients/` unless given.
    package var fixtures: [ClientFixture]
    /// Run each client launch contained as `grade` contains students (its own folder, limits,
    /// cgroups, a user id of its own, bubblewrap); nil: run it as the grader's own child.
    package var containment: Containment?
    /// One line per check as it starts (`[3/19] client.trailing-lf`), for a terminal.
    package var progress: (@Sendable (String) -> Void)?

    package init(parameters: ProfileParameters, command: [String], fixtures: [ClientFixture]? = nil) {
        self.parameters = parameters
        self.command = command
        // The embedded fixtures are checked by the test suite; an error there is a build defect.
        self.fixtures = fixtures ?? ((try? ClientFixtureLoader.builtIn()) ?? [])
    }

    /// `stdbuf`, when installed: it makes a C program's stdout line-buffered on a pipe.
    static let lineBuffering = Containment.executable("stdbuf")

    /// Starts the client for an exchange with the harness on `port`; `{portN}` is the N-th of
    /// `ports` when given (failover), else `port` too. The caller stops it and releases the plan.
    func launch(port: UInt16, ports: [UInt16] = []) throws(LaunchError) -> (process: ChildProcess, plan: Containment.Plan?) {
        var arguments = command.map { word in
            var word = word
            for index in (1...9).reversed() where word.contains("{port\(index)}") {
                word = word.replacing("{port\(index)}", with: String(index <= ports.count ? ports[index - 1] : port))
            }
            if word.contains("{request}") { word = word.replacing("{request}", with: request ?? parameters.profile.seedRequest ?? "") }
            return CommandPlaceholders.substitute(word, port: port)
        }
        // What a client prints must reach the harness as it prints it, not when it exits: a
        // looping client never exits, and one stopped at the bound loses a full stdio buffer.
        // Python reads this variable; C stdio is line-buffered by stdbuf (coreutils).
        if let stdbuf = Self.lineBuffering { arguments = [stdbuf, "-oL", "-eL"] + arguments }
        var environment = ["PORT": String(port), "PYTHONUNBUFFERED": "1"]
        var plan: Containment.Plan?
        if var containment {
            if !Containment.othersMayRun(arguments) { containment.userID = nil }
            do {
                let made = try containment.plan(arguments, port: port, name: "client")
                arguments = made.arguments
                environment = made.environment.merging(["PYTHONUNBUFFERED": "1"]) { _, added in added }
                plan = made
            } catch {
                throw LaunchError(description: error.description)
            }
        }
        let client: ChildProcess
        do {
            client = try ChildProcess.start(arguments, environment: environment, inheritEnvironment: plan == nil,
                                            standardInput: input == nil ? .null : .pipe)
        } catch {
            if let plan { Containment.release(plan) }
            throw error
        }
        if let input {
            client.write(Array(input.utf8))
            client.closeStandardInput()
        }
        return (client, plan)
    }
}

/// The client checks of one profile: the fixtures that apply, then the checks built in code.
package struct ClientCatalog: Sendable {
    package let profile: Profile
    package let fixtures: [ClientFixture]
    package let builtins: [CheckDefinition]

    package init(profile: Profile, fixtures: [ClientFixture]) {
        self.profile = profile
        self.fixtures = fixtures.filter { $0.profiles.contains(profile) }.sorted { ($0.order, $0.id) < ($1.order, $1.id) }
        self.builtins = ClientCheckRunner.builtinDefinitions.filter { $0.profiles.contains(profile) }
    }

    package var definitions: [CheckDefinition] { fixtures.map(\.definition) + builtins }

    package func unknownSelectors(_ selectors: [String]) -> [String] {
        selectors.filter { selector in !definitions.contains { Catalog.selector(selector, matches: $0) } }
    }
}

/// Judges a client program: one scripted server behaviour per check, on loopback, then what the
/// client printed, its exit status and what it sent (spec section 10.1).
package enum ClientCheckRunner {
    static func builtin(_ id: String, _ title: String, _ level: RequirementLevel, _ requirements: [String], _ profiles: [Profile]) -> CheckDefinition {
        CheckDefinition(id: id, title: title, level: level, requirements: requirements, profiles: profiles, origin: "builtin")
    }

    static let requestEnd = builtin("client.request-end", "The request ends with LF or a half-close, not only quiet time", .should, ["FRAME-6"], [.request, .parity, .double])
    static let oneRequest = builtin("client.one-request", "One request per connection: nothing more is sent while the answer is read", .must, ["CLIENT-4"], [.request, .parity, .double])
    static let bareSilent = builtin("client.bare-sends-nothing", "A bare or csv client sends nothing", .must, ["BARE-2"], [.bare, .csv])
    static let failover = builtin("client.failover", "With one of several servers up, the client finds it", .may, ["DOUBLE-4"], [.double])

    package static let builtinDefinitions = [requestEnd, oneRequest, bareSilent, failover]

    /// The fixture whose exchange each built-in check reads.
    static let observedOn = ["client.request-end": "client.answer", "client.bare-sends-nothing": "client.answer", "client.one-request": "client.never-closes"]

    package static func run(_ configuration: ClientRunConfiguration) -> RunReport {
        let started = Deadline.now
        let startedAt = Date.now.formatted(.iso8601)
        let runDeadline = started.adding(configuration.runTimeout)
        let profile = configuration.parameters.profile
        let catalog = ClientCatalog(profile: profile, fixtures: configuration.fixtures)
        func isSelected(_ definition: CheckDefinition) -> Bool {
            Catalog.isSelected(definition, only: configuration.only, skip: configuration.skip)
        }
        let sources = Set(catalog.builtins.filter(isSelected).compactMap { observedOn[$0.id] })
        let harness = ClientHarness(configuration: configuration, runDeadline: runDeadline)
        let total = catalog.definitions.count(where: isSelected)
        var results: [String: CheckResult] = [:]
        var observations: [String: ClientObservation] = [:]
        var firstHang: String?
        for fixture in catalog.fixtures where isSelected(fixture.definition) || sources.contains(fixture.id) {
            let selected = isSelected(fixture.definition)
            if selected { configuration.progress?("[\(results.count + 1)/\(total)] \(fixture.id)") }
            if Deadline.now.adding(.milliseconds(500)) > runDeadline {
                if selected { results[fixture.id] = runDeadlineResult(fixture.definition) }
                continue
            }
            let observation = harness.play(fixture)
            observations[fixture.id] = observation
            guard selected else { continue }
            var result = ClientJudge.judge(fixture, observation, configuration: configuration)
            // A missing read deadline shows in every check that holds the connection open:
            // charged once, to the first (section 10.1).
            if fixture.end == .hold, result.status == .fail, !result.findings.isEmpty,
               result.findings.allSatisfy({ $0.fault == ClientJudge.hangFault }) {
                if let firstHang { result.consequenceOf = firstHang } else { firstHang = fixture.id }
            }
            // Taking a 1 MiB flood is taking the 1025-octet response (the same missing cap), and
            // taking a drip's first octet is ending the response at the first read, which a
            // split answer shows first (section 10.1): the fixtures say so (`echoOf`).
            if let root = fixture.echoOf, result.status == .fail, let rootResult = results[root], rootResult.status == .fail,
               result.findings.allSatisfy({ $0.fault == ClientJudge.acceptedFault }) {
                result.consequenceOf = root
            }
            results[fixture.id] = result
        }
        for definition in catalog.builtins where isSelected(definition) {
            configuration.progress?("[\(results.count + 1)/\(total)] \(definition.id)")
            let source = observedOn[definition.id].flatMap { observations[$0] }
            var result: CheckResult
            switch definition.id {
            case requestEnd.id: result = judgeRequestEnd(source)
            case oneRequest.id: result = judgeOneRequest(source)
            case bareSilent.id: result = judgeBareSilence(source)
            default:
                result = configuration.failoverPorts.count >= 2
                    ? ClientFailover.judge(failover, configuration, runDeadline: runDeadline)
                    : CheckResult(definition: failover, status: .skip, message: "not applicable: give the servers' ports as --port a,b,c to judge failover")
            }
            if configuration.strict && result.status == .warn && definition.level == .should { result.status = .fail }
            if result.status == .fail && configuration.knownFailures.contains(definition.id) { result.knownFailure = true }
            results[definition.id] = result
        }
        let ordered = catalog.definitions.map { definition in
            results[definition.id] ?? CheckResult(definition: definition, status: .skip, message: VerdictAssessment.deselectedMessage)
        }
        var warnings: [String] = []
        let judgedSomething = observations.values.contains { $0.notJudged == nil }
        let neverConnected = !observations.isEmpty && !judgedSomething
        if neverConnected {
            warnings.append("the client never connected to the harness: " + (observations.values.compactMap(\.notJudged).first ?? ""))
        }
        // Every launch is contained alike: its notes are said once.
        if let notes = observations.values.lazy.map(\.containmentNotes).first(where: { !$0.isEmpty }) {
            warnings += notes.map { "contained: " + $0 }
        }
        if observations.values.contains(where: { $0.reconnected }) && !configuration.loops {
            warnings.append("the client connected again within a check: it was judged as a looping client (--loop) on its first exchange, and its exit status was not judged")
        }
        let assessment = VerdictAssessment.assess(
            results: ordered, strict: configuration.strict, unreachable: neverConnected,
            narrowed: !configuration.only.isEmpty || !configuration.skip.isEmpty,
            unreachableReason: neverConnected ? warnings.first : nil)
        return RunReport(target: "client: " + configuration.command.joined(separator: " "), profile: profile, parameters: configuration.parameters,
                         strict: configuration.strict, seed: 0, startedAt: startedAt, durationMilliseconds: (Deadline.now - started).inMilliseconds,
                         results: ordered, assessment: assessment, warnings: warnings)
    }

    static func runDeadlineResult(_ definition: CheckDefinition) -> CheckResult {
        var result = CheckResult(definition: definition, status: .notJudged, message: "not judged: the run's deadline (--run-timeout) passed before this check")
        result.checkerLimited = true
        return result
    }

    static func notObserved(_ definition: CheckDefinition, _ observation: ClientObservation?) -> CheckResult? {
        guard let observation else {
            return CheckResult(definition: definition, status: .notJudged, message: "not judged: the exchange it reads (\(observedOn[definition.id] ?? "?")) did not run")
        }
        if let reason = observation.notJudged {
            return CheckResult(definition: definition, status: .notJudged, message: "not judged: \(reason)")
        }
        return nil
    }

    static func judgeRequestEnd(_ observation: ClientObservation?) -> CheckResult {
        if let unjudged = notObserved(requestEnd, observation) { return unjudged }
        let request = observation!.request
        switch request.end {
        case .lineFeed, .halfClose:
            return CheckResult(definition: requestEnd, status: .pass, message: "the request \(ByteEscaping.escape(request.bytes)) ended by \(request.end.rawValue)")
        case .nothing:
            let finding = Finding("FRAME-6", "the client sent no request within 2 s of connecting")
            return CheckResult(definition: requestEnd, status: .warn, message: finding.message, findings: [finding])
        default:
            let finding = Finding("FRAME-6", "the request \(ByteEscaping.escape(request.bytes, limit: 60)) ended by \(request.end.rawValue): the server had to wait out its quiet time")
            return CheckResult(definition: requestEnd, status: .warn, message: finding.message, findings: [finding])
        }
    }

    static func judgeOneRequest(_ observation: ClientObservation?) -> CheckResult {
        if let unjudged = notObserved(oneRequest, observation) { return unjudged }
        let observation = observation!
        guard observation.afterRequest.isEmpty else {
            let finding = Finding("CLIENT-4", "after its request \(ByteEscaping.escape(observation.request.bytes, limit: 40)) the client sent \(ByteEscaping.escape(observation.afterRequest, limit: 60)) on the same connection: another number needs a new connection")
            return CheckResult(definition: oneRequest, status: .fail, message: finding.message, findings: [finding], transcripts: [observation.transcript])
        }
        return CheckResult(definition: oneRequest, status: .pass, message: "nothing was sent after the request \(ByteEscaping.escape(observation.request.bytes, limit: 40))")
    }

    static func judgeBareSilence(_ observation: ClientObservation?) -> CheckResult {
        if let unjudged = notObserved(bareSilent, observation) { return unjudged }
        let sent = observation!.request.bytes
        if sent.isEmpty { return CheckResult(definition: bareSilent, status: .pass, message: "the client sent nothing") }
        let finding = Finding("BARE-2", "the client sent \(ByteEscaping.escape(sent, limit: 60)) to a server that never reads: its close can turn into a reset that destroys the answer")
        return CheckResult(definition: bareSilent, status: .fail, message: finding.message, findings: [finding])
    }
}
