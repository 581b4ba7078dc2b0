import Foundation
import Testing

/// The pool outlives anything that happens to a responder.
@Suite(.serialized) struct PoolResilienceTests {
    @Test func killedResponder_isReplacedWithinASecond_andLaterRequestsSucceed() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "2"])
        defer { stack.stop() }
        let before = stack.responderPIDs
        #expect(before.count == 2)
        let victim = try #require(before.first)
        kill(victim, SIGKILL)
        let replaced = await stack.waitForResponders(seconds: 1) { $0.count == 2 && !$0.contains(victim) }
        #expect(replaced.count == 2 && !replaced.contains(victim), "no replacement within 1 s: \(replaced)")
        for _ in 0..<6 {
            #expect(try await stack.get("/ping").status == 200)
        }
    }

    @Test func respondersKilledUnderLoad_costNoOtherRequest() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "2"])
        defer { stack.stop() }
        let photo = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("plain.png"))
        // Kill one responder while a stream of requests runs; count failures other than the request it held.
        async let load = stack.load("/images/fit/64", file: photo, clients: 40, requestsEach: 1)
        try await Task.sleep(nanoseconds: 100_000_000)
        if let victim = stack.responderPIDs.first { kill(victim, SIGKILL) }
        let statuses = try await load
        let failures = statuses.filter { $0 != 200 }
        // At most the request the killed responder held fails, and it fails as JSON 503.
        #expect(failures.count <= 1, "\(statuses)")
        #expect(failures.allSatisfy { $0 == 503 })
        #expect(try await stack.get("/ping").status == 200)
    }

    @Test func retiredResponders_areReplacedWithoutFailures() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "2", "--max-requests", "3", "--max-requests-jitter", "1"])
        defer { stack.stop() }
        for _ in 0..<20 {
            #expect(try await stack.get("/ping").status == 200)
        }
    }

    @Test func reloadUnderLoad_failsNoRequest() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "2"])
        defer { stack.stop() }
        let png = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("plain.png"))
        let before = Set(stack.responderPIDs)
        // Four clients keep the pool busy while it is reloaded (SIGHUP, as systemctl reload sends) four times.
        async let statuses = stack.load("/images/fit/64", file: png, clients: 4, requestsEach: 25)
        for _ in 0..<4 {
            try await Task.sleep(nanoseconds: 250_000_000)
            kill(stack.poolPID, SIGHUP)
        }
        let results = try await statuses
        #expect(results.count == 100)
        #expect(results.allSatisfy { $0 == 200 }, "failed during reload: \(results.filter { $0 != 200 })")
        let after = await stack.waitForResponders { $0.count == 2 && Set($0).isDisjoint(with: before) }
        #expect(Set(after).isDisjoint(with: before), "the responders were not replaced")
    }
}
