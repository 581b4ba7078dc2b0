import Foundation

/// Ports for the servers tests start. The kernel picks a free one; every port handed
/// out is remembered, so two servers of this test process never get the same port in
/// the moment between the choice and their bind.
enum TestPorts {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var handedOut: Set<Int> = []

    /// A port free on 127.0.0.1 now, and never handed out before.
    static func free() -> Int {
        while true {
            let port = kernelChoice()
            if claim([port]) { return port }
        }
    }

    /// A port that, with the next one, is free on 127.0.0.1 and 127.0.0.2 and never handed out before.
    static func freePair() -> Int {
        while true {
            let port = kernelChoice()
            guard port < 65535, [port, port + 1].allSatisfy({ canBind($0, "127.0.0.1") && canBind($0, "127.0.0.2") }) else { continue }
            if claim([port, port + 1]) { return port }
        }
    }

    private static func claim(_ ports: [Int]) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard handedOut.isDisjoint(with: ports) else { return false }
        handedOut.formUnion(ports)
        return true
    }

    private static func kernelChoice() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func canBind(_ port: Int, _ host: String) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
