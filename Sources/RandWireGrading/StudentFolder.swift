#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireSocket

/// Each student's server runs in a folder of its own: a fresh temporary folder holding a copy
/// of the roster's `dir=` folder when there is one. It is the server's working folder and HOME,
/// the only place it may write under bubblewrap, and removed after grading.
enum StudentFolder {
    static func make(for entry: RosterEntry) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("randwire-students-\(Platform.processID)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let name = entry.student.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }
        let folder = root.appendingPathComponent("\(String(name))-\(UUID().uuidString.prefix(8))")
        if let source = RosterOptions.folder(entry.options) {
            try FileManager.default.copyItem(atPath: source, toPath: folder.path)
        } else {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        return folder.path
    }

    static func remove(_ folder: String) {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A stable unprivileged user id per student (60000-64999), used when grading as root.
    static func userID(for student: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in student.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return 60000 + hash % 5000
    }
}
