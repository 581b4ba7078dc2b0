import CProcessControl
import CSandbox
import Scoreboard
import Logging
import WorkerConfig

#if canImport(Glibc)
import Glibc
#endif

/// What a responder gives up before it reads any input: root (for the
/// configured user), sockets (image responders), and writing outside its
/// private temp directory.
public enum ResponderSandbox {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// What a kind of responder may do beyond its own temp directory: the paths it may
    /// read, whether it keeps sockets, and which measured system-call list it serves under.
    public struct Profile: Sendable {
        public let readablePaths: [String]
        public let network: Bool
        public let role: ps_role

        public init(readablePaths: [String], network: Bool, role: ps_role) {
            self.readablePaths = readablePaths
            self.network = network
            self.role = role
        }
    }

    /// The kernel's Landlock ABI, read while the call is still allowed (for the escape probe).
    public nonisolated(unsafe) static var landlockABI: Int32 = 0

    /// Becomes the configured user (`RW_USER`) when this process may switch: started as
    /// root, or holding CAP_SETUID and CAP_SETGID as the systemd unit grants them. Keeps
    /// no capability either way. Must come before the parent-death signal is set:
    /// changing credentials clears it.
    public static func dropPrivileges(configuration: WorkerConfiguration) throws(Failure) {
        guard configuration.user != "root", ps_has_capabilities(0) == 1 else { return }
        var uid: uid_t = 0
        var gid: gid_t = 0
        guard ps_lookup_user(configuration.user, &uid, &gid) == 0 else {
            throw Failure(description: "no such user: \(configuration.user)")
        }
        let status = ps_drop_privileges(uid, gid)
        guard status == 0 else { throw Failure(description: "cannot become \(configuration.user): \(errorText(status))") }
    }

    /// This responder's own temp directory, `responder-PID` in the pool's, made after the
    /// switch of user so it belongs to the responder alone; TMPDIR points there from now on.
    public static func makeOwnTemporaryDirectory(under parent: String) throws(Failure) -> String {
        let path = "\(parent)/responder-\(getpid())"
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
            throw Failure(description: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        setenv("TMPDIR", path, 1)
        return path
    }

    /// Empties this responder's temp directory as it retires; the supervisor removes the
    /// directory itself once it has reaped the process.
    public static func emptyOwnTemporaryDirectory(_ path: String) {
        _ = ps_remove_tree(path)
    }

    /// Non-dumpable, so no process of the same uid can ptrace this one or read its memory.
    /// After `dropPrivileges`: a change of credentials resets the flag.
    public static func forbidTracing() throws(Failure) {
        let status = ps_forbid_tracing()
        guard status == 0 else { throw Failure(description: "cannot make the responder non-dumpable: \(errorText(status))") }
    }

    /// Landlock for files (seccomp's blunter rule where the kernel lacks it) and
    /// seccomp for sockets. Call while the process has a single thread.
    public static func confine(_ profile: Profile, configuration: WorkerConfiguration, writableDirectory: String,
                               logger: Logger) throws(Failure) {
        guard configuration.sandboxEnabled else {
            logger.warning("sandbox off: responders may open sockets and write files (RW_SANDBOX=off)")
            return
        }
        landlockABI = ps_landlock_abi()
        let landlock = ps_confine_files(writableDirectory, profile.readablePaths.joined(separator: ":"))
        let fallback = landlock == -EOPNOTSUPP
        if fallback {
            logger.notice("no Landlock in this kernel: responders may not write files at all")
        } else if landlock != 0 {
            throw Failure(description: "cannot confine writes to \(writableDirectory): \(errorText(landlock))")
        }
        // A fetcher keeps its sockets; its allow-list narrows them to the families a fetch uses.
        let seccomp = ps_deny_network(profile.network ? 0 : 1, fallback ? 1 : 0)
        guard seccomp == 0 else { throw Failure(description: "cannot install the seccomp filter: \(errorText(seccomp))") }
    }

    /// The system-call allow-list, for every thread: installed once start-up is over
    /// (libraries loaded, the listening socket set up), before the first accept.
    public static func allowOnlyServingCalls(_ profile: Profile, configuration: WorkerConfiguration) throws(Failure) {
        guard configuration.sandboxEnabled else { return }
        let status = ps_allow_only_serving_calls(Scoreboard.inheritedDescriptor, profile.role)
        guard status == 0 else { throw Failure(description: "cannot install the system-call allow-list: \(errorText(status))") }
    }

    private static func errorText(_ status: Int32) -> String { String(cString: strerror(-status)) }
}
