import CSharedMemory

#if canImport(Glibc)
import Glibc
#endif

/// The pool's shared state, in memory every responder maps: who is busy since
/// when (the supervisor's deadline), pool-wide counters and per-endpoint
/// latency histograms (what `/status` and `/metrics` show, from any responder).
///
/// Every field is one 64-bit counter at a fixed index (see `ScoreboardLayout`);
/// each is written by one process at a time or updated atomically.
public final class Scoreboard: @unchecked Sendable {
    private let counters: OpaquePointer
    /// The descriptor, for handing to spawned responders.
    public let descriptor: Int32

    /// Creates a zeroed scoreboard for the supervisor.
    public static func create(startedAt: Double) -> Scoreboard? {
        let fd = ps_shared_counters_create(Int32(ScoreboardLayout.wordCount))
        guard fd >= 0, let board = Scoreboard(descriptor: fd) else { return nil }
        board.store(ScoreboardLayout.startedAt, Int64(startedAt * 1_000_000))
        return board
    }

    /// Maps a scoreboard made by the supervisor (a responder's descriptor 3).
    public init?(descriptor: Int32) {
        guard let mapped = ps_shared_counters_map(descriptor),
              Int(ps_shared_counters_count(mapped)) >= ScoreboardLayout.wordCount else { return nil }
        counters = mapped
        self.descriptor = descriptor
    }

    /// The descriptor a spawned responder finds the scoreboard at.
    public static let inheritedDescriptor: Int32 = PS_SHARED_FD

    /// How many responder slots the scoreboard has: twice the largest pool, for a reload's overlap.
    public static let slotCapacity = ScoreboardLayout.maxSlots

    /// Whether `slot` is one of the scoreboard's; writes for any other slot are dropped,
    /// so a wrong number can never land in another field.
    public static func holds(_ slot: Int) -> Bool { (0..<slotCapacity).contains(slot) }

    // MARK: supervisor side

    /// A responder was spawned into `slot`.
    public func claim(slot: Int, pid: Int32, now: Double) {
        guard Self.holds(slot) else { return }
        let base = ScoreboardLayout.slot(slot)
        store(base + SlotField.requests, 0)
        store(base + SlotField.busySince, 0)
        store(base + SlotField.lastDuration, 0)
        store(base + SlotField.endpoint, -1)
        store(base + SlotField.spawnedAt, Int64(now * 1_000_000))
        store(base + SlotField.state, ResponderState.starting.rawValue)
        store(base + SlotField.pid, Int64(pid))
    }

    /// The supervisor's running totals, for `/status` and `/metrics`.
    public func recordPoolTotals(spawned: Int, crashes: Int, deadlineKills: Int) {
        store(ScoreboardLayout.spawned, Int64(spawned))
        store(ScoreboardLayout.crashes, Int64(crashes))
        store(ScoreboardLayout.deadlineKills, Int64(deadlineKills))
    }

    /// A responder in `slot` exited.
    public func release(slot: Int) {
        guard Self.holds(slot) else { return }
        let base = ScoreboardLayout.slot(slot)
        store(base + SlotField.state, ResponderState.empty.rawValue)
        store(base + SlotField.pid, 0)
    }

    /// Responders busy with one request for longer than `limit` seconds.
    /// Slots whose responder says it has been busy past `limit`. Slots, not pids: a responder
    /// can write any pid into its slot, so the supervisor maps slots to its own records.
    public func overdue(limit: Double, monotonicNow: Double) -> [Int] {
        (0..<ScoreboardLayout.maxSlots).compactMap { slot in
            let base = ScoreboardLayout.slot(slot)
            guard load(base + SlotField.state) == ResponderState.busy.rawValue else { return nil }
            let since = Double(load(base + SlotField.busySince)) / 1_000_000
            guard monotonicNow - since > limit else { return nil }
            return slot
        }
    }

    /// Connections waiting in the listen queue, sampled by the supervisor.
    public func recordListenQueue(_ length: Int, backlog: Int) {
        store(ScoreboardLayout.listenQueue, Int64(length))
        store(ScoreboardLayout.listenQueueLength, Int64(backlog))
        ps_shared_raise(counters, Int32(ScoreboardLayout.listenQueueMax), Int64(length))
    }

    // MARK: responder side

    public func markIdle(slot: Int) {
        guard Self.holds(slot) else { return }
        store(ScoreboardLayout.slot(slot) + SlotField.state, ResponderState.idle.rawValue)
    }

    /// A request was accepted by the responder in `slot`.
    public func beginRequest(slot: Int, monotonicNow: Double) {
        guard Self.holds(slot) else { return }
        let base = ScoreboardLayout.slot(slot)
        store(base + SlotField.busySince, Int64(monotonicNow * 1_000_000))
        store(base + SlotField.endpoint, -1)
        store(base + SlotField.state, ResponderState.busy.rawValue)
        add(ScoreboardLayout.accepted, 1)
        let busy = (0..<ScoreboardLayout.maxSlots).count { load(ScoreboardLayout.slot($0) + SlotField.state) == ResponderState.busy.rawValue }
        let running = (0..<ScoreboardLayout.maxSlots).count { load(ScoreboardLayout.slot($0) + SlotField.state) != ResponderState.empty.rawValue }
        ps_shared_raise(counters, Int32(ScoreboardLayout.maxActive), Int64(busy))
        if busy >= running { add(ScoreboardLayout.maxActiveReached, 1) }
    }

    /// The responder in `slot` is busy since `since`, without a new request counted: one
    /// that serves many at once reports its oldest request's start, which the deadline watches.
    public func markBusy(slot: Int, since: Double) {
        guard Self.holds(slot) else { return }
        let base = ScoreboardLayout.slot(slot)
        store(base + SlotField.busySince, Int64(since * 1_000_000))
        store(base + SlotField.state, ResponderState.busy.rawValue)
    }

    /// Says which endpoint the request in `slot` is for, once routed.
    public func recordEndpoint(slot: Int, endpoint: Int) {
        guard Self.holds(slot) else { return }
        store(ScoreboardLayout.slot(slot) + SlotField.endpoint, Int64(endpoint))
    }

    /// A responder retired because its memory stayed above the limit.
    public func countMemoryRetirement() {
        add(ScoreboardLayout.memoryRetirements, 1)
    }

    /// prepare_jpeg's independent detector found and dropped `count` segments a scrubber missed.
    public func countLocationDetectorDrops(_ count: Int) {
        add(ScoreboardLayout.locationDetectorDrops, Int64(count))
    }

    /// The request in `slot` finished.
    public func endRequest(slot: Int, endpoint: Int, code: Int, seconds: Double, slow: Bool) {
        guard Self.holds(slot) else { return }
        let base = ScoreboardLayout.slot(slot)
        let micros = Int64(seconds * 1_000_000)
        store(base + SlotField.lastDuration, micros)
        add(base + SlotField.requests, 1)
        store(base + SlotField.state, ResponderState.idle.rawValue)
        if slow { add(ScoreboardLayout.slowRequests, 1) }
        let histogram = ScoreboardLayout.histogram(endpoint)
        let bucket = ScoreboardLayout.latencyBucketsSeconds.firstIndex { seconds <= $0 }
            ?? ScoreboardLayout.latencyBucketsSeconds.count
        add(histogram + bucket, 1)
        add(histogram + ScoreboardLayout.histogramSum, micros)
        add(histogram + ScoreboardLayout.histogramCount, 1)
        add(ScoreboardLayout.codeCount(endpoint: endpoint, code: code), 1)
    }

    // MARK: reading

    /// The occupied slots only: what the supervisor reads every tick, without the histograms.
    public func responders() -> [ResponderSnapshot] {
        var slots: [ResponderSnapshot] = []
        for slot in 0..<ScoreboardLayout.maxSlots {
            let base = ScoreboardLayout.slot(slot)
            let state = ResponderState(rawValue: load(base + SlotField.state)) ?? .empty
            guard state != .empty else { continue }
            slots.append(ResponderSnapshot(
                slot: slot, pid: Int32(truncatingIfNeeded: load(base + SlotField.pid)), state: state,
                requests: Int(load(base + SlotField.requests)),
                busySince: Double(load(base + SlotField.busySince)) / 1_000_000,
                lastDuration: Double(load(base + SlotField.lastDuration)) / 1_000_000,
                spawnedAt: Double(load(base + SlotField.spawnedAt)) / 1_000_000,
                endpoint: Int(load(base + SlotField.endpoint))))
        }
        return slots
    }

    public func snapshot() -> ScoreboardSnapshot {
        let slots = responders()
        let buckets = ScoreboardLayout.latencyBucketsSeconds.count + 1
        let histograms = (0..<ScoreboardLayout.endpointCapacity).map { endpoint in
            let base = ScoreboardLayout.histogram(endpoint)
            return LatencyHistogram(
                counts: (0..<buckets).map { Int(load(base + $0)) },
                sumSeconds: Double(load(base + ScoreboardLayout.histogramSum)) / 1_000_000,
                count: Int(load(base + ScoreboardLayout.histogramCount)))
        }
        let codes = (0..<ScoreboardLayout.endpointCapacity).map { endpoint in
            (0..<ScoreboardLayout.codeCapacity).map { Int(load(ScoreboardLayout.codeCount(endpoint: endpoint, code: $0))) }
        }
        return ScoreboardSnapshot(
            startedAt: Double(load(ScoreboardLayout.startedAt)) / 1_000_000,
            accepted: Int(load(ScoreboardLayout.accepted)),
            maxActive: Int(load(ScoreboardLayout.maxActive)),
            maxActiveReached: Int(load(ScoreboardLayout.maxActiveReached)),
            slowRequests: Int(load(ScoreboardLayout.slowRequests)),
            listenQueue: Int(load(ScoreboardLayout.listenQueue)),
            listenQueueMax: Int(load(ScoreboardLayout.listenQueueMax)),
            listenQueueLength: Int(load(ScoreboardLayout.listenQueueLength)),
            spawned: Int(load(ScoreboardLayout.spawned)),
            crashes: Int(load(ScoreboardLayout.crashes)),
            deadlineKills: Int(load(ScoreboardLayout.deadlineKills)),
            memoryRetirements: Int(load(ScoreboardLayout.memoryRetirements)),
            locationDetectorDrops: Int(load(ScoreboardLayout.locationDetectorDrops)),
            responders: slots, histograms: histograms, codeCounts: codes)
    }

    private func load(_ index: Int) -> Int64 { Int64(ps_shared_load(counters, Int32(index))) }
    private func store(_ index: Int, _ value: Int64) { ps_shared_store(counters, Int32(index), value) }
    private func add(_ index: Int, _ delta: Int64) { ps_shared_add(counters, Int32(index), delta) }
}
