@testable import RandWireGrading
import RandWireSocket
import Testing

@Suite struct GradingProgressTests {
    @Test("the status line counts done, running and queued, and names the slowest running student")
    func statusLine() {
        let progress = GradingProgress(total: 4)
        #expect(progress.statusLine() == "graded 0/4 · running 0 · queued 4")
        progress.started("ivan")
        progress.started("ada")
        progress.finished("ada")
        let line = progress.statusLine(now: Deadline.now.adding(.seconds(12)))
        #expect(line.hasPrefix("graded 1/4 · running 1 · queued 2 · slowest: ivan 12."), "\(line)")
    }
}
