#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// This process's open file descriptors, for leak tests.
package enum FileDescriptors {
    /// Lifts the soft RLIMIT_NOFILE to the hard one: thousands of connections need thousands
    /// of fds (the server's idle connections, the load generator's slots).
    package static func raiseLimitToHard() {
        var limit = rlimit()
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(resource, &limit)
    }

    /// The number of open fds (entries of /proc/self/fd on Linux, /dev/fd elsewhere), not
    /// counting the one used to list them; -1 if the directory cannot be read.
    package static func openCount() -> Int {
        guard let descriptors = list() else { return -1 }
        return descriptors.count - 1
    }

    /// The number of open sockets. Steadier than `openCount` for leak tests: runtimes such as
    /// Dispatch open and close eventfds and timerfds of their own at any time.
    package static func openSocketCount() -> Int {
        guard let descriptors = list() else { return -1 }
        var count = 0
        for fd in descriptors {
            var info = stat()
            if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK { count += 1 }
        }
        return count
    }

    private static func list() -> [Int32]? {
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
