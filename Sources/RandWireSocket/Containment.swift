import CRandWireSystem
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// What an untrusted server command may do: its own folder, a scrubbed environment, resource
/// limits, and where the machine allows it, a pids and memory cgroup, a user id of its own
/// (when the grader runs as root) and a bubblewrap sandbox (read-only system, private /tmp,
/// its own PID namespace, loopback shared so the grader can still connect).
///
/// Everything is applied by a small `/bin/sh` wrapper before the command's `exec`, so nothing
/// runs uncontained even for a moment: it joins the cgroups, sets the limits, then execs
/// `bwrap … setpriv … command`.
package struct Containment: Sendable {
    package enum Sandbox: String, Sendable, CaseIterable {
        /// bubblewrap when it is installed and works here; otherwise the rest, with a note.
        case auto
        /// bubblewrap, or the server is not started.
        case bwrap
        /// No filesystem or PID isolation: limits, cgroups and a separate user only.
        case none
    }

    package var sandbox: Sandbox = .auto
    /// The command's working folder and HOME; the only place it may write (with bubblewrap).
    package var folder: String
    /// Paths the command must not see (the output folder, other students' folders).
    package var hidden: [String] = []
    package var cpuSeconds = 300
    package var addressSpaceBytes = 4 << 30
    package var openFiles = 1024
    package var fileSizeBytes = 64 << 20
    /// cgroup `pids.max`.
    package var processes = 256
    /// cgroup memory limit.
    package var memoryBytes = 1 << 30
    /// A user id of its own; only used when the grader runs as root.
    package var userID: UInt32?

    package init(folder: String) {
        self.folder = folder
    }

    /// The contained command, and what on this machine contains it.
    package struct Plan: Sendable {
        package var arguments: [String]
        package var environment: [String: String]
        /// The cgroup folders made for this process, removed by `release`.
        package var cgroups: [String]
        /// One line each: what is enforced, and what is not and why.
        package var notes: [String]
    }

    package struct Refusal: Error, Sendable, CustomStringConvertible {
        package let description: String
    }

    /// Wraps `arguments` (already port-substituted) for a command that listens on `port`.
    package func plan(_ arguments: [String], port: UInt16, name: String) throws(Refusal) -> Plan {
        var notes: [String] = []
        var inner = arguments
        let root = Platform.isSuperuser
        if root, let uid = userID, let setpriv = Containment.executable("setpriv") {
            inner = [setpriv, "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "--"] + inner
            _ = Containment.changeOwner(folder, to: uid)
            notes.append("runs as user id \(uid), not the grader's")
        } else {
            notes.append("runs as the grader's user (a user of its own needs root, setpriv, and a program and script other users may run, not a --shell command)")
        }
        switch (sandbox, Containment.bubblewrap) {
        case let (.auto, bwrap?), let (.bwrap, bwrap?):
            inner = bubblewrap(bwrap, command: arguments) + inner
            notes.append("bubblewrap: system read-only, only its folder writable, private /tmp, own PID namespace, \(hidden.count) path(s) hidden")
        case (.bwrap, nil):
            throw Refusal(description: "--sandbox bwrap: bubblewrap (bwrap) is not installed or cannot create namespaces here; install Debian's bubblewrap package, or use --sandbox none")
        case (.auto, nil):
            notes.append("no filesystem sandbox: bubblewrap is not installed (Debian package bubblewrap); it can read what the grader's user can")
        case (.none, _):
            notes.append("no filesystem sandbox (--sandbox none)")
        }
        let cgroups = Containment.makeCgroups(name: name, processes: processes, memoryBytes: memoryBytes)
        if cgroups.isEmpty {
            notes.append("no process or memory cgroup (needs root and a writable cgroup v1 pids/memory or v2 hierarchy): only the rlimits below")
        } else {
            notes.append("cgroup: at most \(processes) processes, \(memoryBytes >> 20) MiB of memory")
        }
        notes.append("limits: \(cpuSeconds) s of CPU, \(addressSpaceBytes >> 20) MiB of address space, \(openFiles) open files, files up to \(fileSizeBytes >> 20) MiB")
        var script = ""
        for group in cgroups { script += "echo $$ > '\(group)/cgroup.procs' || exit 125\n" }
        script += "ulimit -t \(cpuSeconds) && ulimit -v \(addressSpaceBytes >> 10) && ulimit -n \(openFiles) && ulimit -f \(fileSizeBytes / 512) || exit 125\n"
        script += "cd '\(folder)' || exit 125\nexec \"$@\"\n"
        let environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": folder, "TMPDIR": "/tmp", "PORT": String(port),
        ]
        return Plan(arguments: ["/bin/sh", "-c", script, "randwire-contain"] + inner, environment: environment, cgroups: cgroups, notes: notes)
    }

    func bubblewrap(_ bwrap: String, command: [String]) -> [String] {
        var arguments = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
        // The folder the grader runs in (the roster's relative paths) stays readable even when
        // it lies under /tmp, as a fresh clone often does; hidden paths inside it stay hidden.
        let cwd = FileManager.default.currentDirectoryPath
        if cwd.hasPrefix("/tmp/") { arguments += ["--ro-bind", cwd, cwd] }
        for path in hidden where FileManager.default.fileExists(atPath: path) {
            arguments += ["--tmpfs", path]
        }
        // The command's own program and files stay visible (read-only) even where a private /tmp
        // or a hidden folder covers them; with their folder, for a script's sibling modules,
        // unless that folder is one the command must not see.
        for (index, path) in command.enumerated() where path.hasPrefix("/") {
            guard let isFolder = Containment.isFolder(path), index == 0 || !isFolder else { continue }
            let folder = Containment.parentFolder(of: path)
            let insideHidden = hidden.contains { folder == $0 || folder.hasPrefix($0 + "/") }
            let shown = insideHidden || folder == "/" ? path : folder
            arguments += ["--ro-bind", shown, shown]
        }
        arguments += ["--bind", folder, folder, "--chdir", folder, "--setenv", "HOME", folder,
                      "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--new-session", "--"]
        return arguments
    }

    /// After the process group is stopped: kills what is left in its cgroups (processes that
    /// left the group) and removes them.
    package static func release(_ plan: Plan) {
        for group in plan.cgroups {
            for _ in 0..<50 {
                let pids = (try? String(contentsOfFile: group + "/cgroup.procs", encoding: .utf8))?
                    .split(whereSeparator: \.isNewline).compactMap { Int32($0) } ?? []
                if pids.isEmpty { break }
                pids.forEach { Platform.killProcess($0) }
                Platform.sleep(untilMonotonic: Deadline.after(.milliseconds(20)).nanoseconds)
            }
            _ = try? FileManager.default.removeItem(atPath: group)
            rmdir(group)
        }
    }

    // MARK: - The command

    /// The command with its program found on the grader's PATH and its relative file arguments
    /// made absolute: it runs in a folder of its own, with a PATH of its own.
    package static func absolutized(_ arguments: [String]) -> [String] {
        let cwd = FileManager.default.currentDirectoryPath
        return arguments.enumerated().map { index, argument in
            if index == 0, !argument.contains("/") {
                let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
                for directory in path.split(separator: ":") where !directory.isEmpty {
                    let candidate = "\(directory)/\(argument)"
                    if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
                }
                return argument
            }
            if !argument.hasPrefix("/"), !argument.hasPrefix("-"), FileManager.default.fileExists(atPath: cwd + "/" + argument) {
                return cwd + "/" + argument
            }
            return argument
        }
    }

    /// Whether another user could run the command: its program and every file it names must be
    /// reachable (every folder on the way searchable by others). A user id of its own is only
    /// given when so; a program under /root, say, would not start otherwise.
    package static func othersMayRun(_ arguments: [String]) -> Bool {
        arguments.enumerated().filter { index, argument in
            // The program, and the files it is given (a script): folders it is told about are data.
            guard argument.hasPrefix("/"), let isFolder = Containment.isFolder(argument) else { return false }
            return index == 0 || !isFolder
        }.map(\.element).allSatisfy { path in
            var current = ""
            for component in path.split(separator: "/").dropLast() {
                current += "/" + component
                guard let mode = (try? FileManager.default.attributesOfItem(atPath: current))?[.posixPermissions] as? Int, mode & 0o001 != 0 else {
                    return false
                }
            }
            let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int ?? 0
            return mode & 0o004 != 0
        }
    }

    // MARK: - What this machine offers

    /// Gives `path` and everything under it to `uid` (its group too); false if any change failed.
    static func changeOwner(_ path: String, to uid: UInt32) -> Bool {
        var ok = lchown(path, uid, uid) == 0
        for relative in (try? FileManager.default.subpathsOfDirectory(atPath: path)) ?? [] {
            ok = lchown(path + "/" + relative, uid, uid) == 0 && ok
        }
        return ok
    }

    /// Whether `path` (symbolic links followed) is a folder; nil when nothing is there.
    /// (`FileManager.fileExists(atPath:isDirectory:)` takes an ObjCBool on Darwin, a Bool elsewhere.)
    static func isFolder(_ path: String) -> Bool? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return UInt32(status.st_mode) & UInt32(S_IFMT) == UInt32(S_IFDIR)
    }

    /// `path` without its last component, as NSString's `deletingLastPathComponent` gives it:
    /// "/a/b" -> "/a", "/a" -> "/", "a" -> "".
    static func parentFolder(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }

    package static func executable(_ name: String) -> String? {
        for directory in ["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"] {
            let path = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// bubblewrap's path, when it is installed and can make its namespaces here (checked once).
    package static let bubblewrap: String? = {
        guard let bwrap = executable("bwrap"),
              let probe = try? ChildProcess.start([bwrap, "--ro-bind", "/", "/", "--unshare-pid", "--", "/bin/true"]),
              probe.waitForExit(timeout: .seconds(10)) == .exited(0) else { return nil }
        return bwrap
    }()

    private static let groupCounter = Atomic<Int>(0)

    /// pids and memory cgroups for one process: v1's controllers, or a v2 subtree, when the
    /// grader may create them. Empty when it may not.
    static func makeCgroups(name: String, processes: Int, memoryBytes: Int) -> [String] {
        let unique = "randwire-\(Platform.processID)-\(groupCounter.wrappingAdd(1, ordering: .relaxed).newValue)-\(name.filter { $0.isLetter || $0.isNumber })"
        let base = "/sys/fs/cgroup"
        var made: [String] = []
        func make(_ path: String, _ settings: [(String, String)]) -> Bool {
            guard mkdir(path, 0o755) == 0 else { return false }
            for (file, value) in settings {
                guard (try? value.write(toFile: path + "/" + file, atomically: false, encoding: .utf8)) != nil else {
                    rmdir(path)
                    return false
                }
            }
            made.append(path)
            return true
        }
        if FileManager.default.fileExists(atPath: base + "/pids/tasks") {
            // cgroup v1: one folder per controller.
            _ = make("\(base)/pids/\(unique)", [("pids.max", String(processes))])
            _ = make("\(base)/memory/\(unique)", [("memory.limit_in_bytes", String(memoryBytes))])
        } else if let controllers = try? String(contentsOfFile: base + "/cgroup.controllers", encoding: .utf8),
                  controllers.contains("pids"), controllers.contains("memory") {
            _ = make("\(base)/\(unique)", [("pids.max", String(processes)), ("memory.max", String(memoryBytes))])
        }
        return made
    }
}
