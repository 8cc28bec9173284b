#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading small system files (such as `/proc/net/tcp`) with read(2) to their end: Foundation's
/// file reading trusts the size /proc reports (0) and returns only the first page.
package enum SystemFile {
    /// Hands `body` each chunk read from `path` until the end, or until `body` returns false.
    /// Returns false if the file cannot be opened.
    package static func readChunks(_ path: String, _ body: (ArraySlice<UInt8>) -> Bool) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0, body(buffer[0..<count]) else { return true }
        }
    }
}

extension SocketError {
    /// EADDRINUSE for `operation`: no address could be had.
    package static func addressInUse(_ operation: String) -> SocketError {
        SocketError(operation: operation, errno: EADDRINUSE)
    }
}
