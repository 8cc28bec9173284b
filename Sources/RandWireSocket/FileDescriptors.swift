import CRandWireSystem

/// This process's file descriptors: the limit, and a listing for leak tests (whose counts live in
/// RandWireTestSupport).
package enum FileDescriptors {
    /// Lifts the soft RLIMIT_NOFILE to the hard one: thousands of connections need thousands
    /// of fds (the server's idle connections, the load generator's slots).
    package static func raiseLimitToHard() { Platform.raiseDescriptorLimitToHard() }

    /// Whether `fd` is an open socket.
    package static func isSocket(_ fd: Int32) -> Bool {
        var info = stat()
        return fstat(fd, &info) == 0 && (Int32(truncatingIfNeeded: info.st_mode) & Int32(S_IFMT)) == Int32(S_IFSOCK)
    }

    /// The open fds (entries of /proc/self/fd on Linux, /dev/fd elsewhere), including the one
    /// used to list them; nil if the directory cannot be read.
    package static func list() -> [Int32]? {
        guard let directory = opendir(Platform.descriptorDirectory) else { return nil }
        defer { closedir(directory) }
        var descriptors: [Int32] = []
        while let entry = readdir(directory) {
            let number = withUnsafeBytes(of: entry.pointee.d_name) { name -> Int32? in
                var value: Int32 = 0
                var index = 0
                while index < name.count, name[index] != 0 {
                    guard (0x30...0x39).contains(name[index]), value < 100_000_000 else { return nil }
                    value = value * 10 + Int32(name[index] - 0x30)
                    index += 1
                }
                return index == 0 ? nil : value
            }
            if let number { descriptors.append(number) }
        }
        return descriptors
    }
}
