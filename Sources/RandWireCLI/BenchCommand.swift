import RandWireArguments

/// `randwire bench`: owned by the performance issue; replaced when RandWireBench lands.
enum BenchCommand {
    static func run(_ arguments: ParsedArguments, io: CommandIO) throws -> Int32 {
        throw CommandFailure("randwire bench is not part of this build yet")
    }
}
