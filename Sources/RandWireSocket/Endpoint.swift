/// A host (name or literal) and port as a person writes it: `127.0.0.1:80`, `localhost:80`,
/// `[::1]:80`. Not resolved; `Resolver` turns it into addresses.
package struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    /// The host without brackets (`::1`, not `[::1]`).
    package let host: String
    package let port: UInt16

    package init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// `host:port`, with brackets around an IPv6 literal.
    package var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Parses `HOST:PORT` or `[IPV6]:PORT`. A bare IPv6 literal is rejected because its last
    /// group cannot be told from a port. Errors are one line for people.
    package static func parse(_ text: String) throws(EndpointError) -> Endpoint {
        guard !text.isEmpty else { throw EndpointError("an empty address: expected HOST:PORT") }
        if let bad = text.unicodeScalars.first(where: { $0.value <= 0x20 || $0.value == 0x7F }) {
            throw EndpointError("'\(text)' contains \(bad == " " ? "a space" : "a control character"): expected HOST:PORT")
        }
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw EndpointError("'\(text)' has '[' without ']': expected [IPV6]:PORT")
            }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.first == ":" else {
                throw EndpointError(rest.isEmpty ? "'\(text)' has no port: expected [IPV6]:PORT" : "'\(text)': expected ':' and a port after ']'")
            }
            portText = rest.dropFirst()
            let address = host.split(separator: "%", maxSplits: 1).first.map(String.init) ?? ""
            guard case .v6? = SocketAddress(numericHost: address, port: 0) else {
                throw EndpointError("'\(host)' is not an IPv6 address")
            }
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw EndpointError("'\(text)' has no port: expected HOST:PORT")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") {
                throw EndpointError("'\(text)': an IPv6 address needs brackets, as in [::1]:PORT")
            }
            guard !host.isEmpty else { throw EndpointError("'\(text)' has no host: expected HOST:PORT") }
            guard host.utf8.count <= 253,
                host.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || $0 == "-" || $0 == "." || $0 == "_" })
            else {
                throw EndpointError("'\(host)' is not a host name or IPv4 address")
            }
        }
        guard !portText.isEmpty else { throw EndpointError("'\(text)' has an empty port: expected HOST:PORT") }
        guard portText.utf8.count <= 5, portText.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let port = Int(portText), port <= 65535 else {
            throw EndpointError("'\(portText)' is not a port: expected a number from 0 to 65535")
        }
        return Endpoint(host: String(host), port: UInt16(port))
    }
}

/// Why a text is not an endpoint; one line for people.
package struct EndpointError: Error, Sendable, Hashable, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
