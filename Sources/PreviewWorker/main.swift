import Previewer
import ResponderCore
import Scoreboard
import WorkerConfig

#if canImport(Glibc)
import Glibc
#endif

// `remote-worker-preview`: one link-fetching responder, accepting on descriptor 0,
// spawned by `remote-worker serve --previews`. Its own executable so that no image
// library is ever loaded into a process that has sockets.
let environment = currentEnvironment()
let configuration: WorkerConfiguration
do {
    configuration = try WorkerConfiguration.load(environment: environment)
} catch {
    let message = "remote-worker-preview: invalid configuration: \(error)\n"
    _ = write(2, message, message.utf8.count)
    exit(ServingLoop.bootFailureStatus)
}
let logger = makeLogger(role: "preview", level: configuration.logLevel, format: configuration.logFormat)
let seat = environment["RW_SLOT"].flatMap(Int.init).flatMap { slot in
    Scoreboard(descriptor: Scoreboard.inheritedDescriptor).map { ServingLoop.Seat(scoreboard: $0, slot: slot) }
}
exit(PreviewProcess.run(configuration: configuration, supervisorPID: environment[supervisorPIDVariable].flatMap { Int32($0) },
                        seat: seat, temporaryDirectory: environment["TMPDIR"] ?? "/tmp", logger: logger))
