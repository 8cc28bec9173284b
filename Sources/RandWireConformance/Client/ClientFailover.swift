import RandWireProtocol
import RandWireSocket

/// DOUBLE-4 (a MAY, so it never decides a verdict): three runs, each with only one of the
/// client's servers listening and the others refusing; a client that fails over answers every
/// time. A client that picks one server at random and gives up misses about two runs in three.
enum ClientFailover {
    static func judge(_ definition: CheckDefinition, _ configuration: ClientRunConfiguration, runDeadline: Deadline) -> CheckResult {
        var listeners: [Listener] = []
        defer { listeners.forEach { $0.close() } }
        for port in configuration.failoverPorts {
            guard let listener = try? Listener.bind(host: "127.0.0.1", port: port) else {
                return CheckResult(definition: definition, status: .notJudged, message: "not judged: the harness cannot listen on port \(port)")
            }
            listeners.append(listener)
        }
        let ports = listeners.map(\.address.port)
        var missed: [String] = []
        var transcripts: [Transcript] = []
        for attempt in 0..<3 {
            if runDeadline.hasPassed {
                var result = CheckResult(definition: definition, status: .notJudged, message: "not judged: the run's deadline passed during the failover runs")
                result.checkerLimited = true
                return result
            }
            let live = attempt % listeners.count
            // Only the live one listens: the others are closed (connections refused), bound anew after.
            for (index, listener) in listeners.enumerated() where index != live { listener.close() }
            var transcript = Transcript()
            var answer: [UInt8] = []
            var output = ""
            if let (client, plan) = try? configuration.launch(port: ports[live], ports: ports) {
                defer { if let plan { Containment.release(plan) } }
                let bound = min(runDeadline, .after(configuration.clientTimeout))
                if let connection = try? listeners[live].accept(deadline: bound) {
                    let request = ClientHarness.readRequest(connection, profile: configuration.parameters.profile) { _, _, _ in }
                    answer = ClientHarness.answer(to: request.framed, parameters: configuration.parameters)
                    try? connection.send(answer, deadline: .after(.seconds(1)))
                    transcript.events.append(TranscriptEvent(atMilliseconds: 0, kind: .received, bytes: request.bytes))
                    transcript.events.append(TranscriptEvent(atMilliseconds: 0, kind: .sent, bytes: answer))
                    connection.close()
                }
                if client.waitForExit(timeout: max(.zero, bound - .now)) == nil && !configuration.loops {
                    missed.append("run \(attempt + 1): still running after \(Int(configuration.clientTimeout.inSeconds)) s")
                }
                client.stop(grace: .milliseconds(300))
                _ = client.waitForEndOfOutput(timeout: .milliseconds(300))
                output = client.standardOutput.text
                transcript.events.append(TranscriptEvent(atMilliseconds: 0, kind: .note, text: "only port \(ports[live]) up; client printed \(ByteEscaping.escape(Array(output.utf8), limit: 120))"))
            }
            if answer.isEmpty || !ClientJudge.prints(String(decoding: answer, as: UTF8.self), in: output, format: configuration.expectOutput) {
                missed.append("run \(attempt + 1), only port \(ports[live]) up: it printed \(ByteEscaping.escape(Array(output.utf8), limit: 80))")
            }
            transcripts.append(transcript)
            for index in listeners.indices where index != live {
                if let again = try? Listener.bind(host: "127.0.0.1", port: ports[index]) { listeners[index] = again }
            }
        }
        guard missed.isEmpty else {
            let finding = Finding("DOUBLE-4", "the client did not find the one server up: " + missed.joined(separator: "; "))
            return CheckResult(definition: definition, status: .warn, message: finding.message, findings: [finding], transcripts: transcripts)
        }
        return CheckResult(definition: definition, status: .pass, message: "found the one server up in each of 3 runs", transcripts: transcripts)
    }
}
