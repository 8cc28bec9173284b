import Foundation

/// Locations inside the package checkout, found from this source file's own path so tests work
/// from any working directory (SwiftPM runs tests with the package root as cwd, Xcode does not).
package enum PackagePaths {
    /// The directory holding `Package.swift`.
    package static let root: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        fatalError("PackagePaths: no Package.swift above \(#filePath)")
    }()

    /// `Tests/ClientPrograms`: the independent careful client and its mutants.
    package static var clientPrograms: URL {
        root.appendingPathComponent("Tests").appendingPathComponent("ClientPrograms")
    }

    /// `Tests/SeedPrograms`: the Python replicas of the seed programs.
    package static var seedPrograms: URL {
        root.appendingPathComponent("Tests").appendingPathComponent("SeedPrograms")
    }
}
