import CProcessControl
import CSandbox

#if canImport(Glibc)
import Glibc
#endif

/// The pool's temp directory. Each responder makes its own `responder-PID`
/// inside, once it runs as its own user, and writes nowhere else; the
/// supervisor removes that one when it reaps the responder, and the whole
/// tree when the pool stops.
public final class PrivateTempDirectory {
    public let path: String

    /// - Parameters:
    ///   - parent: where to create it (the pool's own TMPDIR).
    ///   - sharedWithResponderUser: responders run as another user, who must be able to
    ///     make an entry here: mode 1733 (anyone may add, no one may list, each removes
    ///     only their own), else 0700.
    public init(under parent: String, sharedWithResponderUser: Bool) throws(SpawnError) {
        var template = Array("\(parent)/remote-worker.XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else {
            throw SpawnError("cannot create a temp directory under \(parent): \(String(cString: strerror(errno)))")
        }
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if sharedWithResponderUser && chmod(path, 0o1733) != 0 {
            _ = ps_remove_tree(path)
            throw SpawnError("cannot open \(path) to the responders' user")
        }
    }

    /// Removes what a reaped responder left (it empties its directory as it retires).
    public func removeResponderDirectory(pid: Int32) {
        _ = ps_remove_tree("\(path)/responder-\(pid)")
    }

    public func remove() {
        _ = ps_remove_tree(path)
    }
}

/// Whether responders will run as a user of their own (`RW_USER`): the pool runs as root
/// or holds CAP_SETUID and CAP_SETGID, and that user is not the pool's own. The pool must
/// then be able to signal them (root, or CAP_KILL): reloads, stops and deadlines need it.
public func respondersSwitchUser(to user: String) throws(SpawnError) -> Bool {
    guard user != "root", ps_has_capabilities(0) == 1 else { return false }
    var uid: uid_t = 0
    var gid: gid_t = 0
    guard ps_lookup_user(user, &uid, &gid) == 0 else { throw SpawnError("no such user: \(user) (RW_USER)") }
    guard uid != getuid() else { return false }
    guard ps_has_capabilities(1) == 1 else {
        throw SpawnError("responders would run as \(user) but the pool could not signal them: grant CAP_KILL too")
    }
    return true
}
