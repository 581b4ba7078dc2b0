import ArgumentParser
import Responder
import WorkerConfig

#if canImport(Glibc)
import Glibc
#endif

/// `remote-worker respond`: one responder, accepting on descriptor 0.
/// Started by the supervisor; can also run under spawn-fcgi or a socket unit.
struct Respond: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve FastCGI requests on the listening socket passed as descriptor 0.",
        shouldDisplay: false)

    @OptionGroup var flags: ConfigurationFlags

    func run() throws {
        let config = try flags.load()
        let logger = makeLogger(role: "responder", level: config.logLevel)
        let startedAt = currentEnvironment()[poolStartedAtVariable].flatMap(Double.init) ?? unixTime()
        let supervisor = currentEnvironment()[supervisorPIDVariable].flatMap { Int32($0) }
        let status = ResponderProcess.run(configuration: config, poolStartedAt: startedAt,
                                          supervisorPID: supervisor, logger: logger)
        if status != 0 { throw ExitCode(status) }
    }
}
