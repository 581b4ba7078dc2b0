import CProcessShim

#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory that only the responders' user may enter: their TMPDIR,
/// and the one place their sandbox lets them write. Removed when the pool stops.
public final class PrivateTempDirectory {
    public let path: String

    /// - Parameters:
    ///   - parent: where to create it (the pool's own TMPDIR).
    ///   - owner: uid and gid to hand it to, when the pool runs as root.
    public init(under parent: String, owner: (uid: UInt32, gid: UInt32)?) throws(SpawnError) {
        var template = Array("\(parent)/remote-worker.XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else {
            throw SpawnError("cannot create a temp directory under \(parent): \(String(cString: strerror(errno)))")
        }
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if let owner, ps_own_directory(path, owner.uid, owner.gid) != 0 {
            _ = ps_remove_tree(path)
            throw SpawnError("cannot hand \(path) to uid \(owner.uid)")
        }
    }

    public func remove() {
        _ = ps_remove_tree(path)
    }
}

/// The uid and gid of `name`, when this process runs as root and must not
/// pass that on to responders; nil otherwise.
public func responderIdentity(user: String) throws(SpawnError) -> (uid: UInt32, gid: UInt32)? {
    guard getuid() == 0, user != "root" else { return nil }
    var uid: uid_t = 0
    var gid: gid_t = 0
    guard ps_lookup_user(user, &uid, &gid) == 0 else { throw SpawnError("no such user: \(user) (RW_USER)") }
    return (uid, gid)
}
