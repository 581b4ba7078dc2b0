/// Fairness between sites, in one fetcher process: at most `perHost` fetches in
/// flight to one host and `total` in all; beyond that a fetch waits its turn in a
/// bounded queue (first come, first served, a host at its cap skipped over, not
/// blocking the others), and beyond the queue it is refused at once. A site that
/// is slow or a tarpit then holds its own few sockets, never the whole pool.
/// Runs on the loop's thread, like everything a preview does.
public final class FetchGate: @unchecked Sendable {
    public enum Refusal: Error, Equatable, Sendable {
        /// The queue is full, or the turn did not come before the deadline.
        case overloaded
        case cancelled
    }

    public let perHost: Int
    public let total: Int
    public let maxQueued: Int
    private let loop: FetchLoop
    private var inFlight: [String: Int] = [:]
    private var inFlightTotal = 0
    private var nextTicket: UInt64 = 0
    private var queue: [(ticket: UInt64, host: String, resume: (Refusal?) -> Void, timer: UInt64)] = []

    public init(perHost: Int, total: Int, maxQueued: Int, loop: FetchLoop) {
        self.perHost = max(1, perHost)
        self.total = max(1, total)
        self.maxQueued = max(0, maxQueued)
        self.loop = loop
    }

    /// Fetches in flight now, and waiting.
    public var running: Int { inFlightTotal }
    public var waiting: Int { queue.count }

    /// Waits for a turn to fetch from `host`, until `deadline` at most; `leave` must follow.
    public func enter(_ host: String, deadline: Double) async throws(Refusal) {
        // Whoever waits lacks room (a leave lets every waiter with room go), so a fetch with room
        // now jumps nobody who could go.
        if hasRoom(host) { return take(host) }
        guard queue.count < maxQueued else { throw .overloaded }
        nextTicket += 1
        let ticket = nextTicket
        let refusal = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Refusal?, Never>) in
                guard !Task.isCancelled else { return continuation.resume(returning: .cancelled) }
                let timer = loop.after(max(0, deadline - FetchLoop.now())) { [weak self] in
                    self?.dropWaiting(ticket, .overloaded)
                }
                queue.append((ticket, host, { continuation.resume(returning: $0) }, timer))
            }
        } onCancel: {
            self.dropWaiting(ticket, .cancelled)
        }
        if let refusal { throw refusal }
    }

    /// Ends a fetch's turn: the next fetch that has room starts.
    public func leave(_ host: String) {
        if let count = inFlight[host] { inFlight[host] = count > 1 ? count - 1 : nil }
        inFlightTotal -= 1
        while inFlightTotal < total, let index = queue.firstIndex(where: { hasRoom($0.host) }) {
            let next = queue.remove(at: index)
            loop.cancelTimer(next.timer)
            take(next.host)
            next.resume(nil)
        }
    }

    private func hasRoom(_ host: String) -> Bool {
        inFlightTotal < total && inFlight[host, default: 0] < perHost
    }

    private func take(_ host: String) {
        inFlight[host, default: 0] += 1
        inFlightTotal += 1
    }

    private func dropWaiting(_ ticket: UInt64, _ refusal: Refusal) {
        guard let index = queue.firstIndex(where: { $0.ticket == ticket }) else { return }
        let dropped = queue.remove(at: index)
        loop.cancelTimer(dropped.timer)
        dropped.resume(refusal)
    }
}
