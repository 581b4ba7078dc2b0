import CCurlShim
#if canImport(Glibc)
import Glibc
#endif

/// A process's event loop: libcurl's transfers and the caller's descriptors
/// (the FastCGI connections) waited for together in one epoll set, timers, and the
/// executor the previews' tasks run on. One thread drives it with `turn`; the only
/// file of link previews that holds the loop's C handles.
public final class FetchLoop: @unchecked Sendable {
    /// What a watched descriptor is ready for.
    public struct Readiness: Sendable {
        public let readable: Bool
        public let writable: Bool
        public let hangup: Bool
    }

    /// How a transfer ended: libcurl's result, or cancelled before its end. Sendable as the loop is:
    /// made and used on the loop's one thread.
    enum TransferEnd: @unchecked Sendable {
        case ended(rw_fetch_result)
        case cancelled
        case notStarted
    }

    public let executor = LoopExecutor()
    /// The signal mask waits take, when signals blocked elsewhere (the stop signals) must end a wait.
    public var waitMask: sigset_t?
    private let handle: OpaquePointer
    private var nextToken: UInt64 = 1
    private var watchers: [UInt64: (Readiness) -> Void] = [:]
    private var running: [UInt64: (transfer: OpaquePointer, context: AnyObject, resume: (TransferEnd) -> Void)] = [:]
    private var timers: [(due: Double, token: UInt64)] = []
    private var timerActions: [UInt64: () -> Void] = [:]

    public init?() {
        guard let handle = rw_loop_new() else { return nil }
        self.handle = handle
    }

    deinit {
        rw_loop_free(handle)
    }

    /// Transfers running now.
    public var transfers: Int { Int(rw_loop_transfers(handle)) }

    // MARK: descriptors

    /// Watches `descriptor`; `handler` runs on the loop each time it is ready. Returns the
    /// token `change` and `unwatch` take, or nil when epoll refuses the descriptor.
    public func watch(_ descriptor: Int32, readable: Bool, writable: Bool,
                      handler: @escaping (Readiness) -> Void) -> UInt64? {
        let token = takeToken()
        guard rw_loop_watch(handle, descriptor, readable ? 1 : 0, writable ? 1 : 0, token) == 0 else { return nil }
        watchers[token] = handler
        return token
    }

    public func change(_ descriptor: Int32, token: UInt64, readable: Bool, writable: Bool) {
        _ = rw_loop_watch(handle, descriptor, readable ? 1 : 0, writable ? 1 : 0, token)
    }

    /// Stops watching; call before closing the descriptor.
    public func unwatch(_ descriptor: Int32, token: UInt64) {
        rw_loop_unwatch(handle, descriptor)
        watchers[token] = nil
    }

    // MARK: timers

    /// Runs `action` on the loop once `seconds` (monotonic) have passed; the token cancels it.
    @discardableResult
    public func after(_ seconds: Double, _ action: @escaping () -> Void) -> UInt64 {
        let token = takeToken()
        let due = FetchLoop.now() + seconds
        let at = timers.firstIndex { $0.due > due } ?? timers.endIndex
        timers.insert((due, token), at: at)
        timerActions[token] = action
        return token
    }

    public func cancelTimer(_ token: UInt64) {
        timerActions[token] = nil
        timers.removeAll { $0.token == token }
    }

    // MARK: transfers

    /// Runs one transfer on this loop and waits for its end; cancelling the task ends the
    /// transfer (its connection closed) at once. `context` is what `request.context` points
    /// at, kept alive until the end.
    func transfer(_ request: rw_fetch_request, context: AnyObject) async -> TransferEnd {
        let token = takeToken()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<TransferEnd, Never>) in
                guard !Task.isCancelled else { return continuation.resume(returning: .cancelled) }
                var request = request
                guard let transfer = rw_transfer_start(handle, &request, token) else {
                    return continuation.resume(returning: .notStarted)
                }
                running[token] = (transfer, context, { continuation.resume(returning: $0) })
                // libcurl starts the transfer at its next timeout action, due at once.
            }
        } onCancel: {
            // On the loop's thread too: tasks are cancelled from the loop.
            self.cancelTransfer(token)
        }
    }

    private func cancelTransfer(_ token: UInt64) {
        guard let entry = running.removeValue(forKey: token) else { return }
        rw_transfer_cancel(entry.transfer)
        entry.resume(.cancelled)
    }

    // MARK: turning

    /// Runs what is ready: queued tasks, then one wait of at most `maxWait` seconds
    /// (shorter when a timer is due), then the handlers of what happened, then the tasks
    /// those resumed.
    public func turn(maxWait: Double) {
        executor.runQueued()
        var wait = maxWait
        if let first = timers.first { wait = min(wait, max(0, first.due - FetchLoop.now())) }
        var events = [rw_loop_event](repeating: rw_loop_event(), count: 128)
        let count = events.withUnsafeMutableBufferPointer { buffer in
            let milliseconds = Int32((wait * 1000).rounded(.up))
            guard var mask = waitMask else { return rw_loop_wait(handle, milliseconds, buffer.baseAddress, Int32(buffer.count), nil) }
            return rw_loop_wait(handle, milliseconds, buffer.baseAddress, Int32(buffer.count), &mask)
        }
        for event in events.prefix(max(0, Int(count))) {
            if event.kind == Int32(RW_EVENT_TRANSFER) {
                guard let entry = running.removeValue(forKey: event.token) else { continue }
                var result = rw_fetch_result()
                rw_transfer_finish(entry.transfer, &result)
                withExtendedLifetime(entry.context) { entry.resume(.ended(result)) }
            } else if let handler = watchers[event.token] {
                handler(Readiness(readable: event.readable != 0, writable: event.writable != 0, hangup: event.hangup != 0))
            }
            executor.runQueued()
        }
        fireTimers()
        executor.runQueued()
    }

    private func fireTimers() {
        let now = FetchLoop.now()
        while let first = timers.first, first.due <= now {
            timers.removeFirst()
            if let action = timerActions.removeValue(forKey: first.token) { action() }
        }
    }

    /// Seconds on the monotonic clock, which every deadline of a preview is on.
    public static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    private func takeToken() -> UInt64 {
        defer { nextToken += 1 }
        return nextToken
    }
}
