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
        ("http://10.0.0.9:3128", true), ("http://10.0.0.9:3128/", true), ("http://[fd00::9]:3128", true),
        ("http://proxy.internal:3128", false), ("http://10.0.0.9:3128/path", false), ("https://10.0.0.9:3128", false),
        ("http://[proxy]:3128", false), ("http://fd00::9:3128", false), ("http://10.0.0.9", false),
    ])
    func previewProxy_isAnAddress(_ proxy: String, _ valid: Bool) {
        var config = WorkerConfiguration()
        config.previewProxy = proxy
        let problems = config.validate()
        #expect(problems.contains { $0.key == "RW_PREVIEW_PROXY" } == !valid, "\(proxy)")
    }

    @Test(arguments: [("/run/remote-worker/fcgi.sock", true), ("127.0.0.1:9000", true), ("localhost:9000", false), ("[::1]:9000", false)])
    func previewImages_isASocketOrAnIPv4Address(_ address: String, _ valid: Bool) {
        var config = WorkerConfiguration()
        config.previewImages = address
        #expect(config.validate().contains { $0.key == "RW_PREVIEW_IMAGES" } == !valid, "\(address)")
    }

    @Test func environment_roundTrips() throws {
        var config = WorkerConfiguration()
        config.maxFrames = 42
        config.listen = "/tmp/x.sock"
        #expect(try WorkerConfiguration.load(environment: config.environment()) == config)
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
