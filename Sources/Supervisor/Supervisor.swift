import CProcessControl
import CSandbox
import Logging
import Scoreboard

#if canImport(Glibc)
import Glibc
#endif

/// The supervisor's event loop: signals arrive through a self-pipe, exited
/// responders are reaped, and a periodic tick reads the scoreboard for
/// requests past their deadline. Everything else is the pool's decision.
public final class Supervisor {
    private let pool: Pool
    private let scoreboard: Scoreboard
    /// The listening socket: its queue length goes on the scoreboard, and it
    /// closes as soon as the pool starts stopping.
    private let socket: ListeningSocket
    /// Seconds a responder may stay busy with one request before it is killed.
    private let requestDeadline: Double
    private let logger: Logger
    /// How often the loop wakes without an event.
    private let tickMilliseconds: Int32 = 200

    /// The pool's temp directory, where each reaped responder's own directory is removed.
    private let temporaryDirectory: PrivateTempDirectory?
    /// The supervisor's own view of the responders, against their reports.
    private var watch: ResponderWatch

    public init(pool: Pool, scoreboard: Scoreboard, socket: ListeningSocket, requestDeadline: Double,
                temporaryDirectory: PrivateTempDirectory? = nil, cpuThreads: Int = 2, logger: Logger) {
        self.pool = pool
        self.temporaryDirectory = temporaryDirectory
        watch = ResponderWatch(cpuBudget: requestDeadline * Double(cpuThreads))
        self.scoreboard = scoreboard
        self.socket = socket
        self.requestDeadline = requestDeadline
        self.logger = logger
    }

    /// Runs until the pool finishes; returns the exit status.
    public func run() -> Int32 {
        let signals: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGCHLD]
        let signalPipe = signals.withUnsafeBufferPointer { ps_signal_pipe($0.baseAddress, Int32($0.count)) }
        guard signalPipe >= 0 else {
            logger.critical("cannot install signal handlers")
            return 1
        }
        // No responder (the same uid under the systemd unit) may ptrace this process or read its memory.
        if ps_forbid_tracing() != 0 { logger.warning("cannot make the supervisor non-dumpable") }
        // A responder that dies mid-write must not take the supervisor with it.
        signal(SIGPIPE, SIG_IGN)
        do {
            try pool.start(now: monotonicSeconds())
        } catch {
            logger.critical("cannot start responders", metadata: ["error": "\(error)"])
            return 1
        }
        let serviceManager = ServiceManager()
        var announcedReady = false
        while true {
            if case .finished(let status) = pool.state { return status }
            _ = ps_wait_readable(signalPipe, tickMilliseconds)
            var number = ps_signal_pipe_read(signalPipe)
            while number != 0 {
                if number == SIGHUP && pool.state == .running {
                    serviceManager.reloading()
                    announcedReady = false
                } else if number == SIGTERM || number == SIGINT {
                    serviceManager.stopping()
                }
                if number != SIGCHLD { pool.handle(.signal(number), now: monotonicSeconds()) }
                number = ps_signal_pipe_read(signalPipe)
            }
            reapExited()
            // However the stop began (a signal, a responder that cannot start), queued connections
            // are left to the responders' drain, and new ones go to another host.
            if case .stopping = pool.state { socket.close() }
            let now = monotonicSeconds()
            for slot in scoreboard.overdue(limit: requestDeadline, monotonicNow: now) {
                pool.handle(.overdue(slot: slot), now: now)
            }
            let queued = sampleListenQueue()
            for (pid, reason) in watchResponders(queued: queued, now: now) {
                pool.handle(.misbehaving(pid: pid, reason: reason), now: now)
            }
            pool.handle(.tick, now: now)
            scoreboard.recordPoolTotals(spawned: pool.totalSpawned, crashes: pool.totalCrashes,
                                        deadlineKills: pool.deadlineKills)
            // Ready once every responder of the current generation accepts requests.
            if !announcedReady && pool.isSettled && scoreboard.responders().allSatisfy({ $0.state != .starting }) {
                serviceManager.ready(responders: pool.responders.count)
                announcedReady = true
                logger.info("pool ready", metadata: ["responders": "\(pool.responders.count)"])
            }
        }
    }

    /// Sampled each tick, so the maximum shown is the largest queue seen at a tick.
    /// Returns the connections waiting now (0 once the socket is closed).
    private func sampleListenQueue() -> Int {
        guard socket.isOpen else { return 0 }
        var queued: Int32 = 0
        var capacity: Int32 = 0
        guard ps_listen_queue(socket.descriptor, &queued, &capacity) == 0 else { return 0 }
        scoreboard.recordListenQueue(Int(queued), backlog: Int(capacity))
        return Int(queued)
    }

    /// Each running responder's CPU from /proc, beside what it reports of itself.
    private func watchResponders(queued: Int, now: Double) -> [(pid: Int32, reason: String)] {
        guard pool.state == .running else { return [] }
        let reported = Dictionary(scoreboard.responders().map { ($0.slot, $0) }) { first, _ in first }
        let observations = pool.responders.compactMap { pid, responder -> ResponderWatch.Observation? in
            guard !responder.askedToStop, let slot = reported[responder.slot], slot.state != .starting else { return nil }
            return .init(pid: pid, cpuSeconds: ps_cpu_seconds(pid), requests: slot.requests, reportsIdle: slot.state == .idle)
        }
        return watch.misbehaving(observations, queued: queued, now: now)
    }

    /// Collects every exited child: one SIGCHLD may stand for several.
    private func reapExited() {
        while true {
            var status: Int32 = 0
            let pid = ps_reap(&status)
            guard pid > 0 else { return }
            pool.handle(.exited(pid: pid, status: status), now: monotonicSeconds())
            temporaryDirectory?.removeResponderDirectory(pid: pid)
        }
    }
}
