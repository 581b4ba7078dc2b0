import CProcessShim
import WorkerConfig

#if canImport(Glibc)
import Glibc
#endif

/// The FastCGI socket, bound once by the supervisor and shared by every responder.
public struct ListeningSocket {
    public let descriptor: Int32
    public let address: ListenAddress

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

    /// Closes the socket and removes a Unix socket file.
    public func close() {
        _ = Glibc.close(descriptor)
        if case .unix(let path) = address { unlink(path) }
    }
}
