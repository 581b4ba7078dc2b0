/// Starts and signals responder processes. The pool talks to processes only
/// through this, so its logic can be tested with a fake that records events.
public protocol ProcessSpawner: AnyObject {
    /// Starts one responder in scoreboard `slot`; returns its process id.
    func spawn(slot: Int) throws(SpawnError) -> Int32
    /// Whether the responder in `slot` took a request (and so had started well) before it ended.
    func tookRequest(slot: Int) -> Bool
    /// The responder in `slot` is gone; the slot is free again.
    func released(slot: Int)
    /// Sends `signal` to a responder.
    func send(_ signal: Int32, to pid: Int32)
}

public struct SpawnError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
