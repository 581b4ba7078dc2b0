import Testing
@testable import RemoteWorker
import WorkerConfig

/// The command line's flags against the one list of settings: each setting has its flag,
/// each flag sets its setting, and there are no others.
@Suite struct ConfigurationFlagsTests {
    @Test func everySettingsFlag_setsThatSetting() throws {
        for setting in Setting.all {
            let flags = try ConfigurationFlags.parse([setting.flag, "given"])
            #expect(flags.overrides == [setting.key: "given"], "\(setting.flag)")
        }
    }

    @Test func theFlags_areExactlyTheSettings() throws {
        let everything = try ConfigurationFlags.parse(Setting.all.flatMap { [$0.flag, "v"] })
        #expect(Set(everything.overrides.keys) == Set(Setting.all.map(\.key)))
        #expect(everything.overrides.count == Setting.all.count)
        let help = ConfigurationFlags.helpMessage(columns: 1000)
        let documented = help.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("--") else { return nil }
            return String(trimmed.prefix { $0 != " " && $0 != "\t" })
        }
        #expect(Set(documented).subtracting(["--help"]) == Set(Setting.all.map(\.flag)), "\(documented)")
    }

    @Test func aFlag_winsOverTheEnvironment() throws {
        let config = try WorkerConfiguration.load(environment: ["RW_PREVIEW_PORTS": "80"],
                                                  overrides: try ConfigurationFlags.parse(["--preview-ports", "1-65535"]).overrides)
        #expect(config.previewPorts.contains(65535))
    }
}
