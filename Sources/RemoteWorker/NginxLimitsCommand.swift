import ArgumentParser
import WorkerConfig

/// `remote-worker nginx-limits`: the nginx directives that must match the pool's settings,
/// one `name value` pair a line, for scripts/render-nginx.sh to write into the snippets.
struct NginxLimitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nginx-limits",
        abstract: "Print the nginx directives rendered from the settings (body size, read timeout).")

    @OptionGroup var flags: ConfigurationFlags

    func run() throws {
        for (name, value) in NginxLimits(try flags.load()).directives { print("\(name) \(value)") }
    }
}
