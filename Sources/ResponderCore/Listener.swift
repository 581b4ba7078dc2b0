import CProcessControl
import CSandbox
import Scoreboard

#if canImport(Glibc)
import Glibc
#endif

/// The responders' side of the listening socket (descriptor 0): waits for a
/// connection with the stop signals let in, accepts it, and refuses peers not
/// on the allow-list. Once a stop is asked for, it serves what is already
/// queued, for a short while, before closing: a stopping pool leaves no
/// accepted-but-unanswered connection behind, which nginx could not retry.
public final class Listener {
    /// What a drained queue may still cost a stopping responder.
    public static let drainWindowSeconds = 2.0

    private let descriptor: Int32
    private let allowed: ClientAllowList
    private var drainUntil: Double?
    private var closed = false

    public init(descriptor: Int32 = 0, allowed: ClientAllowList) {
        self.descriptor = descriptor
        self.allowed = allowed
        // Every idle responder wakes for a new connection; those that lose the race get EAGAIN.
        _ = ps_set_nonblocking(descriptor)
    }

    /// The next accepted connection, or nil when this responder should stop taking work.
    public func next() -> Int32? {
        while !closed {
            if ps_stop_requested() != 0 {
                let now = monotonicSeconds()
                let until = drainUntil ?? now + Self.drainWindowSeconds
                drainUntil = until
                guard now < until, let connection = accept() else { break }
                if connection >= 0 { return connection }
                continue
            }
            let ready = ps_wait_connection(descriptor)
            guard ready >= 0 else { break }
            guard ready == 1, let connection = accept() else { continue }
            if connection >= 0 { return connection }
        }
        close()
        return nil
    }

    /// Closes the listening socket at once, so the last holder's close is right after its last accept.
    public func close() {
        guard !closed else { return }
        closed = true
        _ = Glibc.close(descriptor)
    }

    /// A connection from an allowed peer; -1 for one refused; nil when none is queued or the socket failed.
    private func accept() -> Int32? {
        var family: Int32 = 0
        var ipv4: UInt32 = 0
        let connection = ps_accept_connection(descriptor, &family, &ipv4)
        guard connection >= 0 else {
            // A peer that gave up while queued costs nothing; anything else ends the loop.
            return connection == -ECONNABORTED || connection == -EPROTO ? -1 : nil
        }
        let peer: ClientAllowList.Peer = switch Int32(family) {
        case AF_UNIX: .local
        case AF_INET: .ipv4(ipv4)
        default: .other
        }
        guard allowed.admits(peer) else {
            _ = Glibc.close(connection)
            return -1
        }
        return connection
    }
}
