#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireSocket
import Synchronization

/// Free ports for started servers, and whether a server listens on one yet.
enum PortProbe {
    /// Ports handed out in this process: two students started at once never get the same one.
    private static let handedOut = Mutex<Set<UInt16>>([])

    /// A port nothing listens on, never one handed out before. Taken below the kernel's
    /// ephemeral range when there is room: a port picked from inside it (bind 0, close) can be
    /// handed by the kernel to any other process's bind(0) or connect before the student's
    /// server binds it, and the grade would then judge someone else's server.
    static func freePort() throws(SocketError) -> UInt16 {
        var lastError: SocketError?
        let ephemeralStart = ephemeralRangeStart()
        if ephemeralStart > 12_000 {
            var generator = SystemRandomNumberGenerator()
            for _ in 0..<200 {
                let port = UInt16(Int.random(in: 10_000..<ephemeralStart, using: &generator))
                guard !handedOut.withLock({ $0.contains(port) }) else { continue }
                do {
                    let listener = try Listener.bind(host: "127.0.0.1", port: port, backlog: 1)
                    listener.close()
                    if handedOut.withLock({ $0.insert(port).inserted }) { return port }
                } catch {
                    lastError = error
                }
            }
        }
        for _ in 0..<50 {
            do {
                let listener = try Listener.bind(host: "127.0.0.1", port: 0, backlog: 1)
                let port = listener.address.port
                listener.close()
                if handedOut.withLock({ $0.insert(port).inserted }) { return port }
            } catch {
                lastError = error
            }
        }
        throw lastError ?? SocketError.addressInUse("bind 127.0.0.1:0")
    }

    /// The first port of the kernel's ephemeral range (Linux: ip_local_port_range; elsewhere
    /// the IANA range's start).
    static func ephemeralRangeStart() -> Int {
        #if os(Linux)
        if let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8),
           let first = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first, let low = Int(first) {
            return low
        }
        return 32_768
        #else
        return 49_152
        #endif
    }

    /// The address to reach a server listening on `port`, or nil while nothing listens there.
    ///
    /// On Linux this reads the kernel's socket tables instead of connecting: a probe connection
    /// would use up the one connection a seed-001-style server serves, or be reset under a
    /// seed-000-style server and crash it, and the grade would then judge our probe, not the
    /// student. Elsewhere it connects and closes politely.
    ///
    /// `thorough`: read the whole tables. Otherwise reading stops at the first socket that is
    /// not listening (the kernel lists listening sockets first), which keeps a poll cheap on a
    /// host with thousands of TIME_WAIT entries.
    static func listeningHost(port: UInt16, thorough: Bool = false) -> String? {
        if let tables = socketTables(listenersOnly: !thorough) {
            return host(listeningOn: port, in: tables)
        }
        guard let connection = try? Connection.connect(to: Endpoint(host: "127.0.0.1", port: port), deadline: .after(.milliseconds(200))) else {
            return nil
        }
        connection.shutdownWrite()
        connection.close()
        return "127.0.0.1"
    }

    /// Whether the socket listening on `port` belongs to `pid` or one of its descendants: a
    /// student must never be graded against another's server that took its port first. Nil
    /// where that cannot be told (no /proc, or its entries are not readable).
    static func listener(on port: UInt16, belongsTo pid: Int32) -> Bool? {
        guard let tables = socketTables(listenersOnly: true) else { return nil }
        let wanted = String(port, radix: 16, uppercase: true).leftPadded(to: 4)
        var inodes: Set<String> = []
        for table in [tables.v4, tables.v6] {
            for line in table.split(separator: "\n").dropFirst() {
                let columns = line.split(separator: " ", omittingEmptySubsequences: true)
                guard columns.count > 9, columns[3] == "0A", columns[1].split(separator: ":").last == Substring(wanted) else { continue }
                inodes.insert("socket:[\(columns[9])]")
            }
        }
        guard !inodes.isEmpty, let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        // Every process's parent, to find the server's descendants (a shell's child, bwrap's).
        var parent: [Int32: Int32] = [:]
        for entry in entries {
            guard let id = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let ppid = Int32(fields[1]) { parent[id] = ppid }
        }
        func descends(_ id: Int32) -> Bool {
            var current = id
            for _ in 0..<64 {
                if current == pid { return true }
                guard let next = parent[current], next > 1 else { return false }
                current = next
            }
            return false
        }
        var readable = false
        for id in parent.keys where descends(id) {
            guard let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(id)/fd") else { continue }
            readable = true
            for fd in fds {
                if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(id)/fd/\(fd)"), inodes.contains(target) {
                    return true
                }
            }
        }
        return readable ? false : nil
    }

    /// `/proc/net/tcp` and `/proc/net/tcp6`, or nil where they do not exist.
    static func socketTables(listenersOnly: Bool = false) -> (v4: String, v6: String)? {
        guard let v4 = readTable("/proc/net/tcp", listenersOnly: listenersOnly) else { return nil }
        return (v4, readTable("/proc/net/tcp6", listenersOnly: listenersOnly) ?? "")
    }

    /// Reads a /proc table to its end (see `SystemFile`), or with `listenersOnly` up to its first
    /// socket that is not listening.
    static func readTable(_ path: String, listenersOnly: Bool) -> String? {
        var bytes: [UInt8] = []
        var scanned = 0
        let opened = SystemFile.readChunks(path) { chunk in
            bytes += chunk
            guard listenersOnly else { return true }
            // Stop at the first complete row whose state (4th column) is not LISTEN.
            while let newline = bytes[scanned...].firstIndex(of: 0x0A) {
                let rowStart = scanned
                let columns = bytes[rowStart..<newline].split(separator: 0x20)
                scanned = newline + 1
                if columns.count > 3, columns[0].last == UInt8(ascii: ":"), Array(columns[3]) != Array("0A".utf8) {
                    bytes.removeSubrange(rowStart...)
                    return false
                }
            }
            return true
        }
        return opened ? String(decoding: bytes, as: UTF8.self) : nil
    }

    /// Parses the tables' `local_address` (`HEXADDR:HEXPORT`) and `st` (`0A` = LISTEN) columns.
    /// IPv4 wildcard or loopback → `127.0.0.1`; another IPv4 address → that address; IPv6 only
    /// → `::1` (reached whether the socket is dual-stack or not).
    static func host(listeningOn port: UInt16, in tables: (v4: String, v6: String)) -> String? {
        let wanted = String(port, radix: 16, uppercase: true).leftPadded(to: 4)
        func listeners(_ table: String) -> [String] {
            table.split(separator: "\n").dropFirst().compactMap { line in
                let columns = line.split(separator: " ", omittingEmptySubsequences: true)
                guard columns.count > 3, columns[3] == "0A" else { return nil }
                let local = columns[1].split(separator: ":")
                guard local.count == 2, local[1] == wanted else { return nil }
                return String(local[0])
            }
        }
        if let address = listeners(tables.v4).first {
            guard address.count == 8, let value = UInt32(address, radix: 16) else { return "127.0.0.1" }
            // The kernel prints the address's bytes as a host-order integer.
            let bytes = withUnsafeBytes(of: value) { Array($0) }
            if bytes == [0, 0, 0, 0] || bytes[0] == 127 { return "127.0.0.1" }
            return bytes.map(String.init).joined(separator: ".")
        }
        if !listeners(tables.v6).isEmpty { return "::1" }
        return nil
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
