import Foundation
import Testing
@testable import RandWireGrading
import RandWireSocket

@Suite("Student processes", .timeLimit(.minutes(1)))
struct StudentProcessTests {
    @Test("launch arguments: {port}, $PORT and ${PORT} are substituted; --shell leaves $PORT to the shell")
    func substitution() throws {
        #expect(try ClassGrader.launchArguments("srv --port {port} -p=$PORT ${PORT}x", port: 5000, shell: false)
            == ["srv", "--port", "5000", "-p=5000", "5000x"])
        #expect(try ClassGrader.launchArguments("cd a && ./srv {port} $PORT", port: 5000, shell: true)
            == ["/bin/sh", "-c", "cd a && ./srv 5000 $PORT"])
    }

    @Test("a listening port is found without connecting to it; a closed one is not")
    func listeningProbe() throws {
        let listener = try Listener.bind(host: "127.0.0.1", port: 0)
        let port = listener.address.port
        #expect(PortProbe.listeningHost(port: port) == "127.0.0.1")
        if PortProbe.socketTables() != nil {
            // Nothing was accepted: the probe did not connect.
            #expect(try listener.accept(deadline: .after(.milliseconds(100))) == nil)
        }
        listener.close()
        #expect(PortProbe.listeningHost(port: port) == nil)
        let free = try PortProbe.freePort()
        #expect(try PortProbe.freePort() != free)
    }

    @Test("more listeners than fit a page of /proc/net/tcp are all found; a cheap poll reads only listeners")
    func manyListeners() throws {
        try #require(PortProbe.socketTables() != nil, "Linux only")
        let listeners = try (0..<80).map { _ in try Listener.bind(host: "127.0.0.1", port: 0) }
        defer { listeners.forEach { $0.close() } }
        for listener in listeners {
            #expect(PortProbe.listeningHost(port: listener.address.port) == "127.0.0.1")
        }
        let rows = try #require(PortProbe.socketTables(listenersOnly: true)).v4.split(separator: "\n").dropFirst()
        #expect(rows.count >= 80)
        #expect(rows.allSatisfy { $0.split(separator: " ")[3] == "0A" })
    }

    @Test("the kernel's socket table is read right: IPv4 any, loopback, another address; IPv6 only")
    func socketTableParsing() {
        let header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        let v4 = header + "   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1\n"
            + "   1: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2\n"
            + "   2: 0100007F:1F92 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 3\n"
            + "   3: 0A01A8C0:1F93 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4\n"
        let v6 = header + "   0: 00000000000000000000000000000000:1F94 00000000000000000000000000000000:0000 0A 0 0 0 0 0 5\n"
        let tables = (v4: v4, v6: v6)
        #expect(PortProbe.host(listeningOn: 8080, in: tables) == "127.0.0.1")
        #expect(PortProbe.host(listeningOn: 8081, in: tables) == "127.0.0.1")
        #expect(PortProbe.host(listeningOn: 8082, in: tables) == nil)  // established, not listening
        #expect(PortProbe.host(listeningOn: 8083, in: tables) == (isLittleEndian ? "192.168.1.10" : "10.1.168.192"))
        #expect(PortProbe.host(listeningOn: 8084, in: tables) == "::1")
    }

    var isLittleEndian: Bool { 1.littleEndian == 1 }
}

@Suite("Output file names")
struct FileNameTests {
    @Test("names are sanitised, accents folded, and unique even ignoring case")
    func stems() {
        let stems = GradeFiles.fileStems(["alice", "José Núñez", "../etc/passwd", "Alice", "a/b", "a b", "", ".hidden", "李", "alice"])
        #expect(stems == ["alice", "Jose_Nunez", "etc_passwd", "Alice-2", "a_b", "a_b-2", "student", "hidden", "student-2", "alice-3"])
    }
}
