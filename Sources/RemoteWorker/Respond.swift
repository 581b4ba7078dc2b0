import ArgumentParser
import Responder
import ResponderCore
import Scoreboard
import Supervisor
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
        let logger = makeLogger(role: "responder", level: config.logLevel, format: config.logFormat)
        let environment = currentEnvironment()
        let startedAt = environment[poolStartedAtVariable].flatMap(Double.init) ?? unixTime()
        let supervisor = environment[supervisorPIDVariable].flatMap { Int32($0) }
        // A supervisor hands over a scoreboard slot; a responder under spawn-fcgi has none.
        let seat = environment[ResponderSpawner.slotVariable].flatMap(Int.init).flatMap { slot in
            Scoreboard(descriptor: Scoreboard.inheritedDescriptor).map { ServingLoop.Seat(scoreboard: $0, slot: slot) }
        }
        let status = ResponderProcess.run(configuration: config, poolStartedAt: startedAt,
                                          supervisorPID: supervisor, seat: seat,
                                          temporaryDirectory: environment["TMPDIR"] ?? "/tmp", logger: logger)
        if status != 0 { throw ExitCode(status) }
    }
}
