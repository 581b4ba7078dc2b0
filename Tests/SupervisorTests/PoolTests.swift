import Glibc
import Logging
import Testing
@testable import Supervisor

/// Records what the pool asks of processes, instead of starting any.
final class RecordingSpawner: ProcessSpawner {
    enum Event: Equatable { case spawned(Int32), signalled(Int32, Int32) }
    var events: [Event] = []
    var nextPID: Int32 = 100
    var failSpawns = false
    /// Slots whose responder is to be reported as having taken a request.
    var servingSlots: Set<Int> = []

    var slots: [Int32: Int] = [:]

    func spawn(slot: Int) throws(SpawnError) -> Int32 {
        if failSpawns { throw SpawnError("no") }
        nextPID += 1
        events.append(.spawned(nextPID))
        slots[nextPID] = slot
        return nextPID
    }

    func tookRequest(slot: Int) -> Bool { servingSlots.contains(slot) }

    func released(slot: Int) { slots = slots.filter { $0.value != slot } }

    func send(_ signal: Int32, to pid: Int32) { events.append(.signalled(signal, pid)) }

    var spawnCount: Int { events.filter { if case .spawned = $0 { true } else { false } }.count }
    func signals(_ signal: Int32) -> [Int32] {
        events.compactMap { if case .signalled(signal, let pid) = $0 { pid } else { nil } }
    }
}

@Suite struct PoolTests {
    let spawner = RecordingSpawner()

    func makePool(size: Int = 2) throws -> Pool {
        let pool = Pool(settings: .init(size: size, gracefulTimeout: 5, bootFailureStatus: 78),
                        spawner: spawner, logger: Logger(label: "test"))
        try pool.start(now: 0)
        return pool
    }

    @Test func start_spawnsTheConfiguredNumber() throws {
        let pool = try makePool(size: 3)
        #expect(spawner.spawnCount == 3)
        #expect(pool.responders.count == 3)
    }

    @Test func crashedResponder_isReplacedAtOnce_andCounted() throws {
        let pool = try makePool()
        pool.handle(.exited(pid: 101, status: 128 + SIGKILL), now: 1)
        #expect(spawner.spawnCount == 3)
        #expect(pool.responders.count == 2)
        #expect(pool.crashes.count == 1)
    }

    @Test func retiredResponder_isReplaced_withoutCountingACrash() throws {
        let pool = try makePool()
        pool.handle(.exited(pid: 101, status: 0), now: 1)
        #expect(spawner.spawnCount == 3)
        #expect(pool.crashes.isEmpty)
    }

    @Test func bootFailure_stopsThePoolInsteadOfRespawning_lettingRequestsInHandFinish() throws {
        let pool = try makePool()
        pool.handle(.exited(pid: 101, status: 78), now: 1)
        #expect(pool.state == .stopping(deadline: 6, status: 1))
        #expect(spawner.spawnCount == 2)
        #expect(spawner.signals(SIGKILL).isEmpty, "a responder in the middle of a request was killed")
        #expect(spawner.signals(SIGTERM) == [102])
        pool.handle(.exited(pid: 102, status: 0), now: 2)
        #expect(pool.state == .finished(status: 1))
    }

    @Test func bootFailureDuringReload_spareTheOldGenerationsRequests() throws {
        let pool = try makePool()
        pool.handle(.signal(SIGHUP), now: 1)
        // The replacements (103, 104) cannot start; 101 and 102 are still serving.
        pool.handle(.exited(pid: 103, status: 78), now: 1.5)
        #expect(spawner.signals(SIGKILL).isEmpty)
        pool.handle(.exited(pid: 101, status: 0), now: 2)
        pool.handle(.exited(pid: 102, status: 0), now: 2)
        pool.handle(.exited(pid: 104, status: 78), now: 2)
        #expect(pool.state == .finished(status: 1))
    }

    @Test func sigterm_stopsGracefully_thenFinishes() throws {
        let pool = try makePool()
        pool.handle(.signal(SIGTERM), now: 1)
        #expect(Set(spawner.signals(SIGTERM)) == [101, 102])
        pool.handle(.exited(pid: 101, status: 0), now: 2)
        pool.handle(.exited(pid: 102, status: 0), now: 2)
        #expect(pool.state == .finished(status: 0))
        #expect(spawner.spawnCount == 2)
    }

    @Test func stop_killsWhatIsLeftAfterTheGracefulTimeout() throws {
        let pool = try makePool()
        pool.handle(.signal(SIGTERM), now: 1)
        pool.handle(.tick, now: 3)
        #expect(spawner.signals(SIGKILL).isEmpty)
        pool.handle(.tick, now: 6.5)
        #expect(Set(spawner.signals(SIGKILL)) == [101, 102])
        pool.handle(.exited(pid: 101, status: 128 + SIGKILL), now: 7)
        pool.handle(.exited(pid: 102, status: 128 + SIGKILL), now: 7)
        #expect(pool.state == .finished(status: 0))
    }

    @Test func sighup_replacesEveryResponder() throws {
        let pool = try makePool()
        pool.handle(.signal(SIGHUP), now: 1)
        #expect(Set(spawner.signals(SIGTERM)) == [101, 102])
        // Replacements start before the old responders finish: no gap in accepting.
        #expect(spawner.spawnCount == 4)
        #expect(!pool.isSettled)
        pool.handle(.exited(pid: 101, status: 0), now: 2)
        pool.handle(.exited(pid: 102, status: 0), now: 2)
        #expect(pool.state == .running)
        #expect(spawner.spawnCount == 4)
        #expect(pool.isSettled)
        #expect(pool.crashes.isEmpty)
    }

    @Test func crashLoop_slowsRespawning() throws {
        let pool = try makePool(size: 1)
        var pid: Int32 = 101
        for step in 0..<12 {
            pool.handle(.exited(pid: pid, status: 139), now: Double(step) * 0.01)
            pid += 1
        }
        let spawnedDuringLoop = spawner.spawnCount
        pool.handle(.tick, now: 0.2)
        #expect(spawner.spawnCount == spawnedDuringLoop, "respawned despite the crash loop")
        pool.handle(.tick, now: 2)
        #expect(pool.responders.count == 1)
    }

    @Test func crashesWhileServing_areReplacedAtOnce_withoutBackOff() throws {
        let pool = try makePool(size: 1)
        spawner.servingSlots = [0]
        var pid: Int32 = 101
        for step in 0..<12 {
            pool.handle(.exited(pid: pid, status: 139), now: Double(step) * 0.01)
            pid += 1
        }
        #expect(pool.responders.count == 1, "a poison input slowed the pool down")
        #expect(pool.totalCrashes == 12 && pool.crashes.isEmpty)
    }

    @Test func exitKind_classifies() {
        #expect(ExitKind(status: 0, bootFailureStatus: 78, wasAskedToStop: false) == .planned)
        #expect(ExitKind(status: 137, bootFailureStatus: 78, wasAskedToStop: true) == .planned)
        #expect(ExitKind(status: 78, bootFailureStatus: 78, wasAskedToStop: false) == .bootFailure)
        #expect(ExitKind(status: 139, bootFailureStatus: 78, wasAskedToStop: false) == .crash)
    }

    @Test func overdueResponder_isKilledOnce_andReplacedWithoutCountingACrash() throws {
        let pool = try makePool()
        let slot = try #require(pool.responders[101]?.slot)
        pool.handle(.overdue(slot: slot), now: 1)
        pool.handle(.overdue(slot: slot), now: 1.2)
        #expect(spawner.signals(SIGKILL) == [101])
        pool.handle(.exited(pid: 101, status: 128 + SIGKILL), now: 1.3)
        #expect(pool.crashes.isEmpty)
        #expect(pool.deadlineKills == 1)
        #expect(spawner.spawnCount == 3)
    }

    @Test func replacement_takesTheFreedSlot() throws {
        let pool = try makePool(size: 3)
        let slotOf102 = try #require(pool.responders[102]?.slot)
        pool.handle(.exited(pid: 102, status: 0), now: 1)
        #expect(pool.responders[104]?.slot == slotOf102)
        #expect(Set(pool.responders.values.map(\.slot)) == [0, 1, 2])
    }
}
