import ArgumentParser
import WorkerConfig

/// `remote-worker check-config`: validate the configuration and print it.
struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate the configuration and print the values in force.")

    @OptionGroup var flags: ConfigurationFlags

    @Flag(help: "Print every setting as the README's configuration table instead (Markdown).")
    var markdown = false

    func run() throws {
        if markdown {
            print(Setting.markdownTable)
            return
        }
        let config = try flags.load()
        for setting in Setting.all {
            let value = setting.value(in: config)
            // The secret itself stays out of terminals and logs.
            print("\(setting.key)=\(setting.key == "RW_SHARED_SECRET" && !value.isEmpty ? "(set)" : value)")
        }
    }

}
