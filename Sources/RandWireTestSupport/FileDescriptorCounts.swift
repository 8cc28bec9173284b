import RandWireSocket

extension FileDescriptors {
    /// The number of open fds, not counting the one used to list them; -1 if they cannot be
    /// listed.
    package static func openCount() -> Int {
        guard let descriptors = list() else { return -1 }
        return descriptors.count - 1
    }

    /// The number of open sockets. Steadier than `openCount` for leak tests: runtimes such as
    /// Dispatch open and close eventfds and timerfds of their own at any time.
    package static func openSocketCount() -> Int {
        guard let descriptors = list() else { return -1 }
        return descriptors.filter(isSocket).count
    }
}
