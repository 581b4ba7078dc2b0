#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A setting that could not be read or is out of range, named by its variable.
public struct ConfigurationProblem: Error, Equatable, CustomStringConvertible, Sendable {
    public let key: String
    public let message: String
    public var description: String { "\(key): \(message)" }
}

/// All problems found at once, so an operator fixes them in one go.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let problems: [ConfigurationProblem]
    public var description: String { problems.map(\.description).joined(separator: "; ") }
}

func sysconfCores() -> Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

extension WorkerConfiguration {
    /// Defaults, overlaid by `environment`, overlaid by `overrides` (flags, keyed by
    /// environment variable name), each read once into its type, then checked together.
    public static func load(
        environment: [String: String],
        overrides: [String: String] = [:]
    ) throws(ConfigurationError) -> WorkerConfiguration {
        var config = WorkerConfiguration()
        var problems: [ConfigurationProblem] = []
        for setting in Setting.all {
            guard let raw = overrides[setting.key] ?? environment[setting.key] else { continue }
            if let message = setting.read(&config, raw) { problems.append(.init(key: setting.key, message: message)) }
        }
        if problems.isEmpty { problems = config.validate() }
        if !problems.isEmpty { throw ConfigurationError(problems: problems) }
        return config
    }

    /// What no single setting can say alone: the rules between settings.
    public func validate() -> [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        func require(_ ok: Bool, _ key: String, _ message: String) {
            if !ok { problems.append(.init(key: key, message: message)) }
        }
        require(maxRequestsJitter < maxRequests, "RW_MAX_REQUESTS_JITTER", "must be below RW_MAX_REQUESTS")
        require(maxTotalPixels >= maxPixels, "RW_MAX_TOTAL_PIXELS", "must be at least RW_MAX_PIXELS")
        require(memoryLimitMiB == 0 || memoryLimitMiB >= 64, "RW_MEMORY_LIMIT_MB", "must be 0 (no limit) or at least 64")
        require(previewImageBox <= maxBox, "RW_PREVIEW_IMAGE_BOX", "must be 16 to RW_MAX_BOX")
        return problems
    }

    /// The time a preview may spend fetching: its own budget, and in any case a second
    /// under the request's time limit, so the answer is a JSON `fetch_timeout`, not a kill.
    public var previewBudgetMilliseconds: Int {
        min(previewTimeoutMilliseconds, max(100, timeLimitSeconds * 1000 - 1000))
    }

    /// The most image bytes a preview reads: its own limit, and no more than the image pool
    /// takes in one upload (the multipart wrapping needs a little room).
    public var previewImageByteLimit: Int {
        min(previewImageMaxBytes, maxBodyBytes - 1024)
    }

    /// The settings as environment variables, so a spawned responder loads exactly these.
    public func environment() -> [String: String] {
        var result: [String: String] = [:]
        for setting in Setting.all { result[setting.key] = setting.value(in: self) }
        return result
    }
}

extension StringProtocol {
    func trimmingSpaces() -> Substring {
        var view = Substring(self)
        while view.first == " " { view.removeFirst() }
        while view.last == " " { view.removeLast() }
        return view
    }
}
