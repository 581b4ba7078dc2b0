import ArgumentParser
import WorkerConfig

/// `remote-worker check-config`: validate the configuration and print it.
struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate the configuration and print the values in force.")

    @OptionGroup var flags: ConfigurationFlags

    func run() throws {
        let config = try flags.load()
        for (key, value) in config.environment().sorted(by: { $0.key < $1.key }) {
            // The secret itself stays out of terminals and logs.
            print("\(key)=\(key == "RW_SHARED_SECRET" && !value.isEmpty ? "(set)" : value)")
        }
    }
}
