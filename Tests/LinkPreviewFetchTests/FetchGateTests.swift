import LinkPreview
import Testing

/// The gate on a real loop: tasks on the loop's executor, turned by the test.
@Suite struct FetchGateTests {
    final class Outcomes: @unchecked Sendable {
        var entered: [String] = []
        var refused: [(String, FetchGate.Refusal)] = []
    }

    func enter(_ gate: FetchGate, _ host: String, _ name: String, on loop: FetchLoop, deadline: Double = 30,
               into outcomes: Outcomes) -> Task<Void, Never> {
        Task(executorPreference: loop.executor) {
            do throws(FetchGate.Refusal) {
                try await gate.enter(host, deadline: FetchLoop.now() + deadline)
                outcomes.entered.append(name)
            } catch {
                outcomes.refused.append((name, error))
            }
        }
    }

    @Test func aHostAtItsCap_waits_othersGoAhead_andTheQueueIsBounded() throws {
        let loop = try #require(FetchLoop())
        let gate = FetchGate(perHost: 2, total: 3, maxQueued: 2, loop: loop)
        let outcomes = Outcomes()
        for name in ["a1", "a2", "a3"] { _ = enter(gate, "slow.example", name, on: loop, into: outcomes) }
        _ = enter(gate, "fast.example", "b1", on: loop, into: outcomes)
        _ = enter(gate, "fast.example", "b2", on: loop, into: outcomes)
        _ = enter(gate, "fast.example", "b3", on: loop, into: outcomes)
        loop.turn(maxWait: 0)
        // a3 waits for its host, b1 goes (3 in all), b2 waits for room, b3 finds the queue full.
        #expect(outcomes.entered == ["a1", "a2", "b1"])
        #expect(outcomes.refused.map(\.0) == ["b3"] && outcomes.refused.first?.1 == .overloaded)
        #expect(gate.running == 3 && gate.waiting == 2)
        // A slow fetch ends: the first waiter with room goes, a3, not b2 behind it.
        gate.leave("slow.example")
        loop.turn(maxWait: 0)
        #expect(outcomes.entered == ["a1", "a2", "b1", "a3"] && gate.waiting == 1)
        gate.leave("fast.example")
        loop.turn(maxWait: 0)
        #expect(outcomes.entered.last == "b2" && gate.waiting == 0)
    }

    @Test func aWaiter_isRefusedAtItsDeadline_orWhenCancelled() throws {
        let loop = try #require(FetchLoop())
        let gate = FetchGate(perHost: 1, total: 10, maxQueued: 10, loop: loop)
        let outcomes = Outcomes()
        _ = enter(gate, "h", "first", on: loop, into: outcomes)
        _ = enter(gate, "h", "late", on: loop, deadline: 0.05, into: outcomes)
        let cancelled = enter(gate, "h", "gone", on: loop, into: outcomes)
        loop.turn(maxWait: 0)
        cancelled.cancel()
        loop.turn(maxWait: 0)
        let start = FetchLoop.now()
        while outcomes.refused.count < 2 && FetchLoop.now() - start < 2 { loop.turn(maxWait: 0.05) }
        #expect(Set(outcomes.refused.map { "\($0.0) \($0.1)" }) == ["gone cancelled", "late overloaded"])
        #expect(gate.waiting == 0 && gate.running == 1)
    }
}
