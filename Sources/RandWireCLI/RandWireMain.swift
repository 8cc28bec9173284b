#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Entry point of the `randwire` executable. Commands are registered as they land.
public enum RandWireMain {
    public static func exitWithRun() -> Never {
        signal(SIGPIPE, SIG_IGN)
        print("randwire: protocol specification, reference server and client, conformance runner")
        exit(0)
    }
}
