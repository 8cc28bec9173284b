/// The five variants of the protocol, one per seed program.
public enum Profile: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Seed 000: the server sends one number on accept.
    case bare
    /// Seed 001: the client sends any request; the server answers one number.
    case request
    /// Seed 002: the server sends a comma-separated batch on accept.
    case csv
    /// Seed 003: the client sends an integer; the server answers twice its value.
    case double
    /// Seed 004: the client sends an integer; the server answers even, odd, too-long or error.
    case parity

    public var description: String { rawValue }

    /// The seed program the profile was specified from.
    public var seed: String {
        switch self {
        case .bare: "000"
        case .request: "001"
        case .csv: "002"
        case .double: "003"
        case .parity: "004"
        }
    }

    /// What the profile's seed client sends, without its line end: `Example request`, `42`, `21`;
    /// nil for bare and csv, whose clients send nothing (BARE-2). The default request of
    /// `randwire get` and `bench`, and the runner's and prober's normal exchange.
    public var seedRequest: String? {
        switch self {
        case .bare, .csv: nil
        case .request: "Example request"
        case .parity: "42"
        case .double: "21"
        }
    }

    /// `seedRequest` as it goes on the wire: its bytes and an LF (FRAME-1), so no server has to
    /// wait out its quiet time.
    public var seedRequestLine: [UInt8]? { seedRequest.map { Array($0.utf8) + [0x0A] } }

    /// Whether the client speaks first (request-reply) or the server answers on accept.
    public var clientSendsRequest: Bool {
        switch self {
        case .bare, .csv: false
        case .request, .double, .parity: true
        }
    }

    /// Whether responses are random numbers, so the randomness checks (section 7) apply.
    public var isRandom: Bool {
        switch self {
        case .bare, .csv, .request: true
        case .double, .parity: false
        }
    }

    /// The port the spec gives each profile by default (the seed program's port).
    public var defaultPort: UInt16 {
        switch self {
        case .bare: 65432
        case .request: 8000
        case .csv: 27679
        case .double: 9001
        case .parity: 60000
        }
    }

    /// The requirement-ID prefix of the profile's own section.
    public var requirementPrefix: String {
        switch self {
        case .bare: "BARE"
        case .request: "REQ"
        case .csv: "CSV"
        case .double: "DOUBLE"
        case .parity: "PARITY"
        }
    }

    public var defaultParameters: ProfileParameters { ProfileParameters(profile: self) }
}
