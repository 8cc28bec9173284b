/// The numbers the spec fixes (sections 3, 5, 8 and 10). Durations are in milliseconds so the
/// core needs neither Foundation nor a clock.
public enum Limits {
    /// CORE-4: the largest response, in bytes (the seed clients read once with recv(1024)).
    public static let maxResponseBytes = 1024
    /// LIMIT-1: the largest request, in bytes, not counting its LF or CRLF terminator.
    public static let maxRequestBytes = 1024
    /// FRAME-3: the reference server's quiet time that ends an unterminated request.
    public static let requestQuietMilliseconds = 50
    /// FRAME-3: the range a conformant server's quiet time must lie in.
    public static let requestQuietRangeMilliseconds = 20...200
    /// CLIENT-2: quiet time after data that ends a response from a server that never closes.
    public static let responseQuietMilliseconds = 200
    /// LIMIT-2: the longest a conformant server keeps a connection that has not completed its exchange.
    public static let maxConnectionMilliseconds = 10_000
    /// LIMIT-2: the reference server's default connection deadline.
    public static let referenceConnectionMilliseconds = 5_000
    /// PARITY-1: the most digits a number may have to be judged even or odd.
    public static let parityMaxDigits = 10
}
