import RandWireSocket
import Testing

@Suite("Endpoint parsing")
struct EndpointTests {
    @Test(
        "valid endpoints parse",
        arguments: [
            ("127.0.0.1:80", "127.0.0.1", 80, "127.0.0.1:80"),
            ("localhost:8000", "localhost", 8000, "localhost:8000"),
            ("[::1]:65432", "::1", 65432, "[::1]:65432"),
            ("[fe80::1%2]:9", "fe80::1%2", 9, "[fe80::1%2]:9"),
            ("example.org:0", "example.org", 0, "example.org:0"),
            ("my-host_1.local:65535", "my-host_1.local", 65535, "my-host_1.local:65535"),
        ] as [(String, String, Int, String)]
    )
    func parses(text: String, host: String, port: Int, description: String) throws {
        let endpoint = try Endpoint.parse(text)
        #expect(endpoint.host == host)
        #expect(endpoint.port == UInt16(port))
        #expect(endpoint.description == description)
    }

    @Test(
        "invalid endpoints are rejected with one line",
        arguments: [
            ("", "empty"),
            ("::1", "brackets"),
            ("::1:80", "brackets"),
            ("localhost", "no port"),
            ("localhost:", "empty port"),
            (":80", "no host"),
            ("host:65536", "not a port"),
            ("host:-1", "not a port"),
            ("host:8o", "not a port"),
            ("host name:80", "space"),
            ("[::1]", "no port"),
            ("[::1:80", "without ']'"),
            ("[127.0.0.1]:80", "not an IPv6"),
            ("[::1]80", "expected ':'"),
            ("ho$t:80", "not a host"),
        ]
    )
    func rejects(text: String, fragment: String) {
        do {
            let endpoint = try Endpoint.parse(text)
            Issue.record("parsed \(text) as \(endpoint)")
        } catch {
            #expect(error.description.contains(fragment), "\(error.description)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("an IPv6 host prints with brackets")
    func description() {
        #expect(Endpoint(host: "::1", port: 80).description == "[::1]:80")
        #expect(Endpoint(host: "10.0.0.1", port: 1).description == "10.0.0.1:1")
    }
}

@Suite("Addresses and resolution")
struct AddressTests {
    @Test("numeric literals become addresses")
    func literals() throws {
        let v4 = try #require(SocketAddress(numericHost: "127.0.0.1", port: 8000))
        #expect(v4.description == "127.0.0.1:8000")
        #expect(v4.port == 8000)
        #expect(!v4.isIPv6)
        let v6 = try #require(SocketAddress(numericHost: "::1", port: 9001))
        #expect(v6.description == "[::1]:9001")
        #expect(v6.host == "::1")
        #expect(v6.isIPv6)
        #expect(SocketAddress(numericHost: "localhost", port: 1) == nil)
        #expect(SocketAddress(numericHost: "::1", port: 9001) == v6)
        #expect(v6.with(port: 1) != v6)
        #expect(Set([v4, v4, v6]).count == 2)
    }

    @Test("localhost resolves to loopback addresses with the port")
    func resolveLocalhost() throws {
        let addresses = try Resolver.resolve(host: "localhost", port: 4242)
        #expect(!addresses.isEmpty)
        for address in addresses {
            #expect(address.port == 4242)
            #expect(["127.0.0.1", "::1"].contains(address.host), "\(address)")
        }
    }

    @Test("an unknown name is a resolution error")
    func resolveUnknown() {
        #expect {
            _ = try Resolver.resolve(host: "nohost.invalid", port: 80)
        } throws: { error in
            guard let error = error as? SocketError else { return false }
            return error.kind == .resolution && error.description.hasPrefix("resolve 'nohost.invalid': ")
        }
    }

    @Test("errors describe themselves in one line")
    func errorDescription() {
        let error = SocketError(kind: .refused, operation: "connect", errno: 111, message: "Connection refused")
        #expect(error.description == "connect: Connection refused (errno 111)")
        let resolution = SocketError(kind: .resolution, operation: "resolve 'x'", errno: 0, message: "Name or service not known")
        #expect(resolution.description == "resolve 'x': Name or service not known")
    }
}

@Suite("Deadlines")
struct DeadlineTests {
    @Test("arithmetic and ordering")
    func arithmetic() {
        let now = Deadline.now
        let later = now.adding(.milliseconds(250))
        #expect(later > now)
        #expect(later - now == .milliseconds(250))
        #expect(now - later == .milliseconds(-250))
        #expect(Deadline.distantFuture > later)
        #expect(Deadline.distantFuture.adding(.seconds(5)) == .distantFuture)
        #expect(now.adding(.seconds(-1)).remaining == .zero)
        #expect(Deadline.after(.seconds(10)).remaining > .seconds(9))
        #expect(Deadline.distantFuture.remaining > .seconds(1_000_000))
    }
}
