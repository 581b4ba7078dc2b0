import ArgumentParser
import Responder
import Supervisor
import WorkerConfig

#if canImport(Glibc)
import Glibc
#endif

/// `remote-worker serve`: bind the FastCGI socket and keep the pool of responders.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the supervised pool (the default).")

    @OptionGroup var flags: ConfigurationFlags

    func run() throws {
        let config = try flags.load()
        let logger = makeLogger(role: "supervisor", level: config.logLevel)
        guard let address = ListenAddress(config.listen) else { throw ValidationError("bad RW_LISTEN") }
        let socket = try ListeningSocket(address: address, backlog: config.backlog, unixMode: config.socketModeBits)
        defer { socket.close() }

        var environment = currentEnvironment().merging(config.environment()) { _, resolved in resolved }
        environment[poolStartedAtVariable] = String(unixTime())
        environment[supervisorPIDVariable] = String(getpid())
        let spawner = ResponderSpawner(
            executable: ResponderSpawner.currentExecutable, arguments: ["respond"],
            environment: environment, listenDescriptor: socket.descriptor)
        let pool = Pool(
            settings: .init(size: config.responders, gracefulTimeout: Double(config.gracefulTimeoutSeconds),
                            bootFailureStatus: ResponderProcess.bootFailureStatus),
            spawner: spawner, logger: logger)
        logger.info("listening", metadata: ["address": "\(config.listen)", "responders": "\(config.responders)"])
        let status = Supervisor(pool: pool, logger: logger).run()
        if status != 0 { throw ExitCode(status) }
    }
}
