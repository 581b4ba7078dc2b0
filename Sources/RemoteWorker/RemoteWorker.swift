import ArgumentParser

/// `remote-worker`: the image worker's one executable.
@main
struct RemoteWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote-worker",
        abstract: "Image work for a web forum, served over FastCGI by a supervised pool of responders.",
        subcommands: [Serve.self, Respond.self, CheckConfig.self, NginxLimitsCommand.self],
        defaultSubcommand: Serve.self
    )
}
