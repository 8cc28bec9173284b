#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RandWireClient
import RandWireProtocol
import RandWireServer
import RandWireSocket
import RandWireTestSupport
import Testing

@Suite("Reference server under pressure")
struct ServerLimitsTests {
    @Test("the shared-listener mode serves like the SO_REUSEPORT mode")
    func sharedListener() async throws {
        try await withServer(ProfileParameters(profile: .csv), configure: { $0.listenerMode = .shared; $0.threads = 3 }) { server in
            let client = ReferenceClient(parameters: ProfileParameters(profile: .csv))
            for _ in 0..<30 {
                let result = try await client.exchange(withAnyOf: [server.endpoint], request: nil)
                #expect(result.judgement.isStrictlyClean)
            }
            #expect(server.statistics.answered == 30)
        }
    }

    @Test("clients that never read their answers do not hold up others")
    func unreadAnswers() async throws {
        try await withServer(ProfileParameters(profile: .double), configure: { $0.connectionTimeout = .milliseconds(400) }) { server in
            // Requests sent but answers never read: the server's sends may pile up, never block it.
            let endpoint = server.endpoint
            let silent = try await BlockingPool.run {
                try (0..<50).map { _ in
                    let connection = try Connection.connect(to: endpoint, deadline: .after(.seconds(2)))
                    try connection.send(Array("123456789\n".utf8), deadline: .after(.seconds(1)))
                    return connection
                }
            }
            defer { silent.forEach { $0.close() } }
            let result = try await ReferenceClient(parameters: ProfileParameters(profile: .double)).exchange(withAnyOf: [endpoint], request: Array("4".utf8))
            #expect(result.response == Array("8".utf8))
            #expect(result.elapsed < .milliseconds(1000))
        }
    }

    #if compiler(>=6.2) && os(Linux)
    @Test("EMFILE on accept pauses accepting, logs once, and recovers")
    func outOfDescriptors() async {
        await #expect(processExitsWith: .exitCode(0)) {
            // A small fd table shared by server and clients (this is a child process).
            let limit = rlim_t(FileDescriptors.openCount() + 48)
            var table = rlimit(rlim_cur: limit, rlim_max: limit)
            guard setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &table) == 0 else { exit(10) }
            let lines = LineCollector()
            var configuration = ServerConfiguration(parameters: ProfileParameters(profile: .request))
            configuration.threads = 1
            configuration.connectionTimeout = .seconds(30)
            configuration.logLine = { lines.append($0) }
            configuration.warningLine = { lines.append($0) }
            let server = try ReferenceServer.start(configuration)
            let endpoint = server.endpoint
            var held: [Connection] = []
            // Take fds until the client side runs out; the server's accepts then fail too.
            while held.count < 1000 {
                do {
                    held.append(try Connection.connect(to: endpoint, deadline: .after(.seconds(2))))
                } catch let error as SocketError {
                    guard error.kind == .limit else { exit(11) }
                    break
                }
            }
            // One more connection the server cannot accept: free one fd for the client only.
            held.removeFirst().close()
            held.append(try Connection.connect(to: endpoint, deadline: .after(.seconds(2))))
            let deadline = Deadline.after(.seconds(5))
            while server.statistics.acceptErrors == 0 && !deadline.hasPassed { _ = poll(nil, 0, 5) }
            guard server.statistics.acceptErrors > 0 else { exit(12) }
            // Free the table but for two held connections (every backlogged one needs an fd when
            // accepted); after the 100 ms pause, service resumes.
            for connection in held.dropFirst(2) { connection.close() }
            var options = ClientOptions()
            options.requestTerminator = .lineFeed
            guard
                let result = try? ReferenceClient(parameters: ProfileParameters(profile: .request), options: options)
                    .exchange(with: endpoint, request: Array("after".utf8))
            else { exit(15) }
            guard result.judgement.isStrictlyClean, result.elapsed < .seconds(10) else { exit(13) }
            let pauses = lines.all.filter { $0.contains("pausing accepts") }
            // Warned once per server, however many times it pauses.
            guard pauses.count == 1, pauses[0].hasPrefix("accept: Too many open files") else { exit(14) }
            server.stop()
            exit(0)
        }
    }
    #endif
}
