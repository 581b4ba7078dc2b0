/// Everything the supervisor reacts to, in one enum, handled by one loop.
public enum PoolEvent: Equatable, Sendable {
    /// A signal the supervisor itself received (SIGTERM, SIGINT, SIGHUP).
    case signal(Int32)
    /// A responder ended: its exit status, or 128 + the signal that killed it.
    case exited(pid: Int32, status: Int32)
    /// The responder in a slot says it has been busy with one request past the deadline.
    case overdue(slot: Int)
    /// What the supervisor saw for itself contradicts what the responder reports.
    case misbehaving(pid: Int32, reason: String)
    /// Time passed (deadlines, delayed respawns).
    case tick
}

/// Why a responder ended, as the pool sees it.
public enum ExitKind: Equatable, Sendable {
    /// Retired after its request quota or asked to stop: replace it, count nothing.
    case planned
    /// Could not start at all: respawning would loop, so the pool stops.
    case bootFailure
    /// Anything else: replace it, and count it towards the crash rate.
    case crash

    public init(status: Int32, bootFailureStatus: Int32, wasAskedToStop: Bool) {
        if status == 0 || wasAskedToStop {
            self = .planned
        } else if status == bootFailureStatus {
            self = .bootFailure
        } else {
            self = .crash
        }
    }
}
