import RandWireGrading

extension ClassGrader {
    /// `run()` on a dedicated thread, off the Swift concurrency pool, for async tests.
    package static func gradeAsync(_ roster: Roster, configuration: GradingConfiguration) async -> ClassResult {
        await offCooperativePool { ClassGrader(roster: roster, configuration: configuration).run() }
    }
}
