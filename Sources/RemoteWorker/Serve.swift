import ArgumentParser
import Responder
import ResponderCore
import Scoreboard
import Supervisor
import WorkerConfig

#if canImport(Glibc)
import Glibc
#endif

/// `remote-worker serve`: bind the FastCGI socket and keep the pool of responders.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the supervised pool (the default).")

    @OptionGroup var flags: ConfigurationFlags

    @Flag(help: "Run the link-preview pool instead: fetching responders (remote-worker-preview) on RW_PREVIEW_LISTEN.")
    var previews = false

    func run() throws {
        let config = try flags.load()
        let logger = makeLogger(role: previews ? "preview-supervisor" : "supervisor", level: config.logLevel,
                                format: config.logFormat)
        let role = try previews ? PoolRole.previews(config) : PoolRole.images(config)
        // A fetcher holds a socket per preview in flight and one per nginx connection: its
        // descriptors may go as far as the hard limit (systemd's LimitNOFILE), not the soft 1024.
        if previews { raiseDescriptorLimit() }
        let socket: ListeningSocket
        if let passed = ListeningSocket.passedBySystemd(environment: currentEnvironment()) {
            // Socket activation: systemd bound the socket (remote-worker.socket); RW_LISTEN is not used.
            socket = passed
        } else {
            socket = try ListeningSocket(address: role.listen, backlog: role.backlog, unixMode: config.socketMode)
        }
        defer { socket.close() }

        let startedAt = unixTime()
        guard let scoreboard = Scoreboard.create(startedAt: startedAt) else {
            throw ValidationError("cannot create the scoreboard (shared memory)")
        }
        var environment = currentEnvironment().merging(config.environment()) { _, resolved in resolved }
        for variable in ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES", "NOTIFY_SOCKET"] { environment[variable] = nil }
        let separateUser = try respondersSwitchUser(to: role.user)
        if !separateUser {
            logger.warning("responders run as the supervisor's user: start the pool as root, or with CAP_SETUID and CAP_SETGID (the systemd unit), and an RW_USER of their own")
        }
        let temp = try PrivateTempDirectory(under: environment["TMPDIR"] ?? "/tmp", sharedWithResponderUser: separateUser)
        defer { temp.remove() }
        environment["TMPDIR"] = temp.path
        // Responders check RW_ALLOWED_CLIENTS on each connection they accept (ClientAllowList).
        if config.allowedClients.isEmpty, case .tcp(let host, _)? = socket.address,
           !["127.0.0.1", "::1", "localhost"].contains(host) {
            logger.warning("listening on TCP without RW_ALLOWED_CLIENTS: any host that reaches this port may send work")
        }
        environment[poolStartedAtVariable] = String(startedAt)
        environment[supervisorPIDVariable] = String(getpid())
        let spawner = ResponderSpawner(
            executable: role.executable, arguments: role.arguments,
            environment: environment, listenDescriptor: socket.descriptor, scoreboard: scoreboard)
        let pool = Pool(
            settings: .init(size: role.responders, gracefulTimeout: Double(config.gracefulTimeoutSeconds),
                            bootFailureStatus: ServingLoop.bootFailureStatus),
            spawner: spawner, logger: logger)
        logger.info("listening", metadata: ["address": "\(socket.address.map { "\($0)" } ?? "socket from systemd")", "responders": "\(role.responders)"])
        // Just past nginx's read timeout (limit + 1 s): the client already has its
        // JSON time-out when the stuck responder is killed.
        let deadline = Double(config.timeLimitSeconds) + 2
        let status = Supervisor(pool: pool, scoreboard: scoreboard, socket: socket,
                                requestDeadline: deadline, temporaryDirectory: temp,
                                cpuThreads: role.threads, logger: logger).run()
        if status != 0 { throw ExitCode(status) }
    }
}

/// What a pool runs: image responders (this executable's `respond`), or link fetchers
/// (the `remote-worker-preview` executable beside it, which links no image library).
struct PoolRole {
    let listen: ListenAddress
    let backlog: Int
    let responders: Int
    let executable: String
    let arguments: [String]
    /// Threads a busy responder may keep on a CPU, for the supervisor's CPU budget.
    let threads: Int
    /// The user responders switch to, when the pool may.
    let user: String

    static func images(_ config: WorkerConfiguration) -> PoolRole {
        // libvips' threads and the responder's own.
        PoolRole(listen: config.listen, backlog: config.backlog, responders: config.responders,
                 executable: ResponderSpawner.currentExecutable, arguments: ["respond"], threads: config.vipsConcurrency + 1,
                 user: config.user)
    }

    static func previews(_ config: WorkerConfiguration) throws -> PoolRole {
        let directory = ResponderSpawner.currentExecutable.split(separator: "/", omittingEmptySubsequences: false)
            .dropLast().joined(separator: "/")
        let executable = directory + "/remote-worker-preview"
        guard access(executable, X_OK) == 0 else { throw ValidationError("\(executable) is missing: it serves the link-preview pool") }
        // The event loop's thread and libcurl's resolver threads (short-lived, one per lookup).
        return PoolRole(listen: config.previewListen, backlog: config.previewBacklog, responders: config.previewResponders,
                        executable: executable, arguments: [], threads: 2, user: config.previewUser)
    }
}

/// The soft limit on open descriptors raised to the hard one, for this process and its children.
private func raiseDescriptorLimit() {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
    limit.rlim_cur = limit.rlim_max
    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
}
