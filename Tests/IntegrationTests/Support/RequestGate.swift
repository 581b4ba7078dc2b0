/// At most `capacity` requests in flight to one stack; the rest wait here, in order.
///
/// A pool of two responders behind a listen backlog serves a few requests at a time;
/// Swift Testing starts every test case at once. Waiting here rather than inside an HTTP
/// client keeps each request's time-out for the request itself, so a time-out means the
/// stack was slow, not that other tests were queued ahead.
actor RequestGate {
    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(capacity: Int) { available = max(1, capacity) }

    /// Runs `body` once a place is free.
    func admit<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await enter()
        defer { leave() }
        return try await body()
    }

    private func enter() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func leave() {
        if waiting.isEmpty {
            available += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
