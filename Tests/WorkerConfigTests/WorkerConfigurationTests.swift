import Testing
@testable import WorkerConfig

@Suite struct WorkerConfigurationTests {
    @Test func defaults_areValid() throws {
        let config = try WorkerConfiguration.load(environment: [:])
        #expect(config.maxBodyBytes == 20 * 1024 * 1024)
        #expect(config.responders == WorkerConfiguration.coreCount)
        #expect(config.validate().isEmpty)
    }

    @Test func environment_overridesDefaults_andFlagsOverrideEnvironment() throws {
        let config = try WorkerConfiguration.load(
            environment: ["RW_RESPONDERS": "3", "RW_MAX_BOX": "800", "COUNTRY": "NL"],
            overrides: ["RW_RESPONDERS": "5"])
        #expect(config.responders == 5)
        #expect(config.maxBox == 800)
        #expect(config.country == "NL")
    }

    @Test func validate_reportsEveryProblemAtOnce_namingTheVariable() {
        #expect {
            try WorkerConfiguration.load(environment: ["RW_RESPONDERS": "0", "RW_BACKLOG": "many", "RW_LOG_LEVEL": "loud"])
        } throws: { error in
            let keys = Set((error as! ConfigurationError).problems.map(\.key))
            return keys == ["RW_RESPONDERS", "RW_BACKLOG", "RW_LOG_LEVEL"]
        }
    }

    /// The fetchers never look a name up for these two: a proxy named by a name would be
    /// resolved unchecked, and the image pool's client connects to addresses only.
    @Test(arguments: [
        ("http://10.0.0.9:3128", true), ("http://10.0.0.9:3128/", true), ("http://[fd00::9]:3128", true), ("", true),
        ("http://proxy.internal:3128", false), ("http://10.0.0.9:3128/path", false), ("https://10.0.0.9:3128", false),
        ("http://[proxy]:3128", false), ("http://fd00::9:3128", false), ("http://10.0.0.9", false),
        ("http://010.0.0.9:3128", false), ("socks5://10.0.0.8:1080", false), ("http://[10.0.0.9]:3128", false),
    ])
    func previewProxy_isAnAddress(_ proxy: String, _ valid: Bool) throws {
        let loaded = try? WorkerConfiguration.load(environment: ["RW_PREVIEW_PROXY": proxy])
        #expect((loaded != nil) == valid, "\(proxy)")
        if valid, !proxy.isEmpty { #expect(try #require(loaded?.previewProxy).port == 3128) }
    }

    @Test(arguments: [("/run/remote-worker/fcgi.sock", true), ("127.0.0.1:9000", true), ("localhost:9000", false),
                      ("[::1]:9000", false), ("127.0.0.01:9000", false)])
    func previewImages_isASocketOrAnIPv4Address(_ address: String, _ valid: Bool) {
        #expect(((try? WorkerConfiguration.load(environment: ["RW_PREVIEW_IMAGES": address])) != nil) == valid, "\(address)")
    }

    @Test func environment_roundTrips() throws {
        let config = try WorkerConfiguration.load(environment: [
            "RW_MAX_FRAMES": "42", "RW_LISTEN": "/tmp/x.sock", "RW_PREVIEW_PORTS": "80, 443,8000-8100",
            "RW_ALLOWED_CLIENTS": "127.0.0.1, 10.0.0.2", "RW_PREVIEW_PROXY": "http://[fd00::9]:3128", "RW_SOCKET_MODE": "0640",
            "RW_LOG_FORMAT": "json", "RW_SANDBOX": "off",
        ])
        #expect(config.maxFrames == 42 && config.listen == .unix(path: "/tmp/x.sock") && config.socketMode == 0o640)
        #expect(config.logFormat == .json && !config.sandboxEnabled)
        #expect(try WorkerConfiguration.load(environment: config.environment()) == config)
    }

    @Test("port sets as people write them", arguments: [
        ("80,443", [80, 443], [22, 8080]), ("1-65535", [1, 80, 65535], []), ("80, 8000-8100", [80, 8000, 8050, 8100], [81, 8101]),
        ("443", [443], [80]),
    ])
    func portSets_takeRanges(_ text: String, _ inside: [Int], _ outside: [Int]) throws {
        let config = try WorkerConfiguration.load(environment: ["RW_PREVIEW_PORTS": text])
        for port in inside { #expect(config.previewPorts.contains(port), "\(port) in \(text)") }
        for port in outside { #expect(!config.previewPorts.contains(port), "\(port) not in \(text)") }
    }

    @Test("bad port sets", arguments: ["", "0", "65536", "80,", "100-90", "1-2-3", "-5", "http", "80 443", "+80"])
    func portSets_refuseNonsense(_ text: String) {
        #expect(throws: ConfigurationError.self) { try WorkerConfiguration.load(environment: ["RW_PREVIEW_PORTS": text]) }
    }

    /// One address reader for the project: the one that reads links reads the settings too,
    /// so a leading zero (octal to some parsers) is refused in both.
    @Test("allowed clients", arguments: [("127.0.0.1", true), ("127.0.0.1,10.1.2.3", true), ("", true),
                                         ("127.0.0.01", false), ("0177.0.0.1", false), ("::1", false), ("127.1", false)])
    func allowedClients_areIPv4_readOneWay(_ text: String, _ valid: Bool) {
        #expect(((try? WorkerConfiguration.load(environment: ["RW_ALLOWED_CLIENTS": text])) != nil) == valid, "\(text)")
    }

    /// A word that turns the sandbox off is written one way only; anything else is a mistake to report.
    @Test(arguments: ["OFF", " off", "no", "0", "false", ""])
    func theSandbox_isOnOrOff_exactly(_ text: String) {
        #expect(throws: ConfigurationError.self) { try WorkerConfiguration.load(environment: ["RW_SANDBOX": text]) }
    }

    @Test func theDefaultResponders_areWithinTheirRange_onAnyMachine() throws {
        #expect((1...256).contains(WorkerConfiguration().responders))
        #expect(try WorkerConfiguration.load(environment: WorkerConfiguration().environment()) == WorkerConfiguration())
    }

    @Test func everySetting_hasItsFlag_andReadsItsOwnDefault() throws {
        #expect(Set(Setting.all.map(\.key)).count == Setting.all.count)
        #expect(Set(Setting.all.map(\.flag)).count == Setting.all.count)
        for setting in Setting.all {
            #expect(setting.flag.hasPrefix("--") && !setting.flag.contains("_"), "\(setting.flag)")
            #expect(!setting.summary.isEmpty)
            let config = try WorkerConfiguration.load(environment: [setting.key: setting.defaultValue])
            #expect(config == WorkerConfiguration(), "\(setting.key)=\(setting.defaultValue) does not read back as the default")
        }
    }

    @Test("listen addresses", arguments: [
        ("/run/rw.sock", ListenAddress.unix(path: "/run/rw.sock")),
        ("127.0.0.1:9000", .tcp(host: "127.0.0.1", port: 9000)),
        ("[::1]:9001", .tcp(host: "::1", port: 9001)),
        ("worker.internal:7000", .tcp(host: "worker.internal", port: 7000)),
    ])
    func listenAddress_parses(_ text: String, _ expected: ListenAddress) {
        #expect(ListenAddress(text) == expected)
    }

    @Test("bad listen addresses", arguments: ["nonsense", "host:0", "host:70000", ":9000"])
    func listenAddress_rejects(_ text: String) {
        #expect(ListenAddress(text) == nil)
    }
}
