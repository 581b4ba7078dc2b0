import Foundation
import Testing

/// A failure in the integration suite says what went wrong: the request, the wait,
/// the pool's own account of itself and the end of its logs.
@Suite struct StackDiagnosticsTests {
    @Test func timedOutRequest_namesTheRequest_theWait_andThePoolStatus() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "2"])
        defer { stack.stop() }
        do {
            _ = try await stack.get("/debug/sleep/3000", timeout: 1)
            Issue.record("a 3-s request answered within a 1-s time-out")
        } catch let failure as StackFailure {
            let text = failure.description
            // The figures are the test process's own clock, which a busy machine stretches.
            #expect(text.contains(try Regex(#"GET /debug/sleep/3000: no answer after \d+\.\d s"#)), "\(text)")
            #expect(text.contains(try Regex(#"queued \d+\.\d s behind"#)), "\(text)")
            // The other responder answers /status: busy with it, beside the sleeping one.
            #expect(text.contains("\"active_processes\":2"), "\(text)")
            #expect(text.contains("--- pool.log"), "\(text)")
        }
    }

    @Test func stackThatCannotStart_failsAtOnce_withItsLogs() async throws {
        // Without libmagic's database no responder can boot, and the supervisor stops.
        let started = Date()
        do {
            let stack = try await WorkerStack.start(flags: ["--responders", "1"],
                                                    environment: ["MAGIC": "/nonexistent/magic.mgc"])
            stack.stop()
            Issue.record("a pool without libmagic's database started")
        } catch let failure as StackFailure {
            #expect(failure.description.contains("a pool exited"), "\(failure)")
            #expect(failure.description.contains("--- pool.log"), "\(failure)")
        }
        #expect(Date().timeIntervalSince(started) < 20, "the failure took \(Date().timeIntervalSince(started)) s to show")
    }
}
