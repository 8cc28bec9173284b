#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// File errors (FileManager, `String.write`) in words. FoundationEssentials has no
/// `localizedDescription`, and a CocoaError's own description is a struct dump.
package enum FileErrorText {
    package static func describe(_ error: any Error) -> String {
        if let posix = error as? POSIXError { return Platform.message(for: posix.code.rawValue) }
        guard let cocoa = error as? CocoaError else { return String(describing: error) }
        // "NSUnderlyingError" is NSUnderlyingErrorKey, which FoundationEssentials does not export.
        if let underlying = cocoa.userInfo["NSUnderlyingError"] as? POSIXError {
            return Platform.message(for: underlying.code.rawValue)
        }
        switch cocoa.code {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder"
        case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
        case .fileWriteOutOfSpace: return "no space left on the device"
        case .fileWriteVolumeReadOnly: return "read-only file system"
        case .fileWriteFileExists: return "a file of that name is in the way"
        case .fileReadInapplicableStringEncoding, .fileWriteInapplicableStringEncoding: return "text that is not UTF-8"
        default: return "file error \(cocoa.code.rawValue)"
        }
    }
}
