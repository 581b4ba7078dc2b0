import CProcessControl
import CSandbox
import WorkerConfig

#if canImport(Glibc)
import Glibc
#endif

/// The FastCGI socket, bound once by the supervisor (or passed in by systemd)
/// and shared by every responder.
public final class ListeningSocket {
    public let descriptor: Int32
    public private(set) var isOpen = true
    /// Nil for a socket systemd passed in: systemd owns it, the pool never removes it.
    public let address: ListenAddress?

    /// The first socket systemd passed (socket activation: `LISTEN_PID` is this
    /// process and `LISTEN_FDS` at least 1), or nil.
    public static func passedBySystemd(environment: [String: String]) -> ListeningSocket? {
        guard environment["LISTEN_PID"].flatMap({ Int32($0) }) == getpid(),
              let count = environment["LISTEN_FDS"].flatMap({ Int($0) }), count >= 1 else { return nil }
        return ListeningSocket(descriptor: 3)
    }

    private init(descriptor: Int32) {
        self.descriptor = descriptor
        self.address = nil
    }

    public init(address: ListenAddress, backlog: Int, unixMode: Int) throws(SpawnError) {
        let result: Int32
        switch address {
        case .unix(let path):
            result = ps_listen_unix(path, Int32(backlog), Int32(unixMode))
        case .tcp(let host, let port):
            result = ps_listen_tcp(host, Int32(port), Int32(backlog))
        }
        guard result >= 0 else {
            throw SpawnError("cannot listen on \(address): \(String(cString: strerror(-result)))")
        }
        descriptor = result
        self.address = address
    }

    /// Closes the socket and removes a Unix socket file; later calls do nothing.
    public func close() {
        guard isOpen else { return }
        isOpen = false
        _ = Glibc.close(descriptor)
        if case .unix(let path)? = address { unlink(path) }
    }
}
