import Testing
@testable import Supervisor

@Suite struct ResponderWatchTests {
    typealias Seen = ResponderWatch.Observation

    @Test func cpuSpentWithoutFinishingARequest_pastTheBudget_isMisbehaviour() {
        var watch = ResponderWatch(cpuBudget: 10)
        #expect(watch.misbehaving([Seen(pid: 7, cpuSeconds: 1, requests: 3, reportsIdle: true)], queued: 0, now: 0).isEmpty)
        #expect(watch.misbehaving([Seen(pid: 7, cpuSeconds: 9, requests: 3, reportsIdle: true)], queued: 0, now: 1).isEmpty)
        let found = watch.misbehaving([Seen(pid: 7, cpuSeconds: 12, requests: 3, reportsIdle: true)], queued: 0, now: 2)
        #expect(found.map(\.pid) == [7])
    }

    @Test func finishedRequests_resetTheBudget() {
        var watch = ResponderWatch(cpuBudget: 10)
        for (second, cpu) in [0.0, 8, 16, 24].enumerated() {
            let seen = Seen(pid: 7, cpuSeconds: cpu, requests: second, reportsIdle: false)
            #expect(watch.misbehaving([seen], queued: 0, now: Double(second)).isEmpty)
        }
    }

    @Test func idleByItsOwnAccount_whileConnectionsWait_andDoingNothing_isMisbehaviour() {
        var watch = ResponderWatch(cpuBudget: 100, stallLimit: 2)
        let lying = Seen(pid: 7, cpuSeconds: 5, requests: 1, reportsIdle: true)
        #expect(watch.misbehaving([lying], queued: 3, now: 0).isEmpty)
        #expect(watch.misbehaving([lying], queued: 3, now: 1.5).isEmpty)
        #expect(watch.misbehaving([lying], queued: 3, now: 2.5).map(\.pid) == [7])
    }

    @Test func anIdleResponderThatTakesTheWaitingConnection_isFine() {
        var watch = ResponderWatch(cpuBudget: 100, stallLimit: 2)
        #expect(watch.misbehaving([Seen(pid: 7, cpuSeconds: 5, requests: 1, reportsIdle: true)], queued: 3, now: 0).isEmpty)
        #expect(watch.misbehaving([Seen(pid: 7, cpuSeconds: 5, requests: 2, reportsIdle: true)], queued: 3, now: 1.5).isEmpty)
        #expect(watch.misbehaving([Seen(pid: 7, cpuSeconds: 5, requests: 3, reportsIdle: true)], queued: 3, now: 3).isEmpty)
        // Nothing waits: idle is idle, however long.
        #expect(watch.misbehaving([Seen(pid: 7, cpuSeconds: 5, requests: 3, reportsIdle: true)], queued: 0, now: 10).isEmpty)
    }
}
