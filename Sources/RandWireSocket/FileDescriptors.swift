#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// This process's open file descriptors, for leak tests.
public enum FileDescriptors {
    /// The number of open fds (entries of /proc/self/fd on Linux, /dev/fd elsewhere), not
    /// counting the one used to list them; -1 if the directory cannot be read.
    public static func openCount() -> Int {
        guard let directory = opendir(Platform.descriptorDirectory) else { return -1 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
                name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            }
            if !isDot { count += 1 }
        }
        return count - 1
    }
}
