import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The pool's bookkeeping: which responders run, which were asked to stop,
/// and what to do on each event. No system calls of its own: all process
/// work goes through the spawner, so tests can drive it event by event.
public final class Pool {
    public enum State: Equatable, Sendable {
        case running
        /// Waiting for requests in hand; then the supervisor exits with `status`.
        case stopping(deadline: Double, status: Int32)
        /// Done; the supervisor exits with this status.
        case finished(status: Int32)
    }

    public struct Settings: Sendable {
        public var size: Int
        public var gracefulTimeout: Double
        public var bootFailureStatus: Int32
        /// More crashes than this within `crashWindow` seconds slow respawning down.
        public var crashLimit: Int = 10
        public var crashWindow: Double = 10
        /// Delay between respawns while crashing too often.
        public var crashBackoff: Double = 1

        public init(size: Int, gracefulTimeout: Double, bootFailureStatus: Int32) {
            self.size = size
            self.gracefulTimeout = gracefulTimeout
            self.bootFailureStatus = bootFailureStatus
        }
    }

    /// What the pool knows of one running responder.
    public struct Responder: Equatable, Sendable {
        public let slot: Int
        /// Asked to stop (retired, reloaded, pool stopping): its exit is planned.
        public var askedToStop = false
        /// Killed for overrunning the request deadline: its exit is the input's fault.
        public var killedForDeadline = false
    }

    public private(set) var state: State = .running
    /// Running responders, by pid.
    public private(set) var responders: [Int32: Responder] = [:]
    public private(set) var deadlineKills = 0
    /// Totals since the pool started.
    public private(set) var totalSpawned = 0
    public private(set) var totalCrashes = 0
    public private(set) var crashes: [Double] = []
    private var nextRespawnAt: Double = 0
    private let settings: Settings
    private let spawner: any ProcessSpawner
    private let logger: Logger

    public init(settings: Settings, spawner: any ProcessSpawner, logger: Logger) {
        self.settings = settings
        self.spawner = spawner
        self.logger = logger
    }

    /// Starts the responders. A spawn failure here is fatal: the pool cannot work.
    public func start(now: Double) throws(SpawnError) {
        for _ in 0..<settings.size {
            try spawnOne()
        }
        logger.info("pool started", metadata: ["responders": "\(settings.size)"])
    }

    public func handle(_ event: PoolEvent, now: Double) {
        switch event {
        case .signal(let number) where number == SIGTERM || number == SIGINT:
            beginStop(now: now)
        case .signal(let number) where number == SIGHUP:
            reload()
        case .signal:
            break
        case .exited(let pid, let status):
            responderExited(pid: pid, status: status, now: now)
        case .overdue(let slot):
            // The pool's own record of who holds the slot, not the pid written in it.
            if let pid = responders.first(where: { $0.value.slot == slot })?.key {
                kill(pid, because: "request deadline passed")
            }
        case let .misbehaving(pid, reason):
            kill(pid, because: reason)
        case .tick:
            break
        }
        enforce(now: now)
    }

    /// Whether every responder is one started since the last reload (none is retiring).
    public var isSettled: Bool {
        state == .running && responders.count == settings.size && responders.values.allSatisfy { !$0.askedToStop }
    }

    /// Asks every responder to finish its request and exit; new ones replace them at once.
    private func reload() {
        guard state == .running else { return }
        logger.notice("reload: replacing every responder")
        for pid in Array(responders.keys) { retire(pid) }
    }

    private func beginStop(now: Double, status: Int32 = 0) {
        guard state == .running else { return }
        logger.notice("stopping: waiting for requests in hand", metadata: ["responders": "\(responders.count)"])
        state = .stopping(deadline: now + settings.gracefulTimeout, status: status)
        for pid in Array(responders.keys) { retire(pid) }
    }

    private func retire(_ pid: Int32) {
        responders[pid]?.askedToStop = true
        spawner.send(SIGTERM, to: pid)
    }

    /// libvips may never return from a hostile input: only SIGKILL is sure to end it.
    /// nginx has already answered the request with its time-out page.
    private func kill(_ pid: Int32, because reason: String) {
        guard let responder = responders[pid], !responder.killedForDeadline else { return }
        responders[pid]?.killedForDeadline = true
        deadlineKills += 1
        logger.warning("\(reason); killing the responder", metadata: ["pid": "\(pid)"])
        spawner.send(SIGKILL, to: pid)
    }

    private func spawnOne() throws(SpawnError) {
        let used = Set(responders.values.map(\.slot))
        let slot = (0...).first { !used.contains($0) }!
        let pid = try spawner.spawn(slot: slot)
        responders[pid] = Responder(slot: slot)
        totalSpawned += 1
    }

    private func responderExited(pid: Int32, status: Int32, now: Double) {
        guard let responder = responders.removeValue(forKey: pid) else { return }
        let tookRequest = spawner.tookRequest(slot: responder.slot)
        spawner.released(slot: responder.slot)
        if responder.killedForDeadline {
            logger.notice("overdue responder ended; replacing it", metadata: ["pid": "\(pid)"])
            return
        }
        switch ExitKind(status: status, bootFailureStatus: settings.bootFailureStatus,
                        wasAskedToStop: responder.askedToStop) {
        case .planned:
            logger.debug("responder retired", metadata: ["pid": "\(pid)"])
        case .bootFailure:
            // Respawning would loop. The others (a reload's old generation among them) finish
            // the requests they hold: a failed start never costs a request in hand.
            logger.critical("a responder could not start; stopping the pool instead of respawning",
                            metadata: ["pid": "\(pid)"])
            beginStop(now: now, status: 1)
        case .crash where tookRequest:
            // The input it was given did this, not a broken installation: replace it at once.
            // The responder's own line names the request, its endpoint, input type and size.
            totalCrashes += 1
            logger.notice("replacing a responder that crashed while serving", metadata: ["pid": "\(pid)", "status": "\(status)"])
        case .crash:
            // Dying before any request is what a broken installation looks like: those slow respawning.
            crashes = crashes.filter { now - $0 < settings.crashWindow } + [now]
            totalCrashes += 1
            logger.warning("responder crashed before serving", metadata: ["pid": "\(pid)", "status": "\(status)"])
            if crashes.count > settings.crashLimit {
                logger.error("responders keep crashing; slowing respawns",
                             metadata: ["crashes": "\(crashes.count)", "window_s": "\(settings.crashWindow)"])
                nextRespawnAt = max(nextRespawnAt, now + settings.crashBackoff)
            }
        }
    }

    /// Brings the pool back to its size, or finishes stopping.
    private func enforce(now: Double) {
        switch state {
        case .finished:
            return
        case .stopping(let deadline, let status):
            if responders.isEmpty {
                logger.notice("pool stopped")
                state = .finished(status: status)
            } else if now >= deadline {
                logger.warning("graceful timeout passed; killing responders", metadata: ["left": "\(responders.count)"])
                for pid in Array(responders.keys) { spawner.send(SIGKILL, to: pid) }
            }
        case .running:
            // Responders asked to stop finish their request while replacements already start,
            // so a reload leaves no moment without a responder accepting.
            while responders.values.count(where: { !$0.askedToStop }) < settings.size && now >= nextRespawnAt {
                do {
                    try spawnOne()
                    if crashes.count > settings.crashLimit { nextRespawnAt = now + settings.crashBackoff }
                } catch {
                    logger.error("spawn failed", metadata: ["error": "\(error)"])
                    nextRespawnAt = now + settings.crashBackoff
                    return
                }
            }
        }
    }
}
