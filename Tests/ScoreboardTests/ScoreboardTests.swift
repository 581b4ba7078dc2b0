import Testing
@testable import Scoreboard

@Suite struct ScoreboardTests {
    @Test func requestLifecycle_showsInTheSnapshot() throws {
        let board = try #require(Scoreboard.create(startedAt: 1000))
        board.claim(slot: 0, pid: 42, now: 1001)
        board.claim(slot: 1, pid: 43, now: 1001)
        board.markIdle(slot: 0)
        board.markIdle(slot: 1)
        board.beginRequest(slot: 0, monotonicNow: 50)
        board.recordEndpoint(slot: 0, endpoint: 3)

        var snapshot = board.snapshot()
        #expect(snapshot.startedAt == 1000)
        #expect(snapshot.active == 1 && snapshot.idle == 1)
        #expect(snapshot.responders.first { $0.pid == 42 }?.state == .busy)

        board.endRequest(slot: 0, endpoint: 3, code: 2, seconds: 0.03, slow: false)
        snapshot = board.snapshot()
        #expect(snapshot.accepted == 1)
        #expect(snapshot.active == 0)
        #expect(snapshot.responders.first { $0.pid == 42 }?.requests == 1)
        #expect(snapshot.histograms[3].count == 1)
        // 0.03 s falls in the 0.05 s bucket (the fourth).
        #expect(snapshot.histograms[3].counts[3] == 1)
        #expect(snapshot.codeCounts[3][2] == 1)
    }

    @Test func overdue_findsOnlyRequestsPastTheLimit() throws {
        let board = try #require(Scoreboard.create(startedAt: 0))
        board.claim(slot: 0, pid: 10, now: 0)
        board.claim(slot: 1, pid: 11, now: 0)
        board.beginRequest(slot: 0, monotonicNow: 100)
        board.beginRequest(slot: 1, monotonicNow: 108)
        #expect(board.overdue(limit: 5, monotonicNow: 110) == [0])
        board.endRequest(slot: 0, endpoint: 0, code: 0, seconds: 10, slow: true)
        #expect(board.overdue(limit: 5, monotonicNow: 110).isEmpty)
        #expect(board.snapshot().slowRequests == 1)
    }

    @Test func aSecondMapping_seesTheSameCounters() throws {
        let board = try #require(Scoreboard.create(startedAt: 0))
        let other = try #require(Scoreboard(descriptor: board.descriptor))
        board.claim(slot: 5, pid: 77, now: 0)
        #expect(other.snapshot().responders.map(\.pid) == [77])
        other.release(slot: 5)
        #expect(board.snapshot().responders.isEmpty)
    }

    @Test func slotsPastTheEnd_areIgnored_notWrittenIntoOtherFields() throws {
        let board = try #require(Scoreboard.create(startedAt: 0))
        let outside = Scoreboard.slotCapacity
        board.claim(slot: outside, pid: 99, now: 0)
        board.beginRequest(slot: outside, monotonicNow: 1)
        board.endRequest(slot: outside, endpoint: 0, code: 0, seconds: 1, slow: false)
        board.claim(slot: -1, pid: 98, now: 0)
        let snapshot = board.snapshot()
        #expect(snapshot.responders.isEmpty && snapshot.accepted == 0)
        #expect(snapshot.histograms.allSatisfy { $0.count == 0 })
        #expect(!Scoreboard.holds(outside) && Scoreboard.holds(outside - 1))
    }
}
