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
    /// environment variable name), then validated in full.
    public static func load(
        environment: [String: String],
        overrides: [String: String] = [:]
    ) throws(ConfigurationError) -> WorkerConfiguration {
        var config = WorkerConfiguration()
        var problems: [ConfigurationProblem] = []
        for (key, value) in keys {
            guard let raw = overrides[key] ?? environment[key] else { continue }
            switch value {
            case .text(let path):
                config[keyPath: path] = raw
            case .number(let path):
                if let number = Int(raw.trimmingSpaces()) {
                    config[keyPath: path] = number
                } else {
                    problems.append(.init(key: key, message: "'\(raw)' is not a whole number"))
                }
            }
        }
        problems += config.validate()
        if !problems.isEmpty { throw ConfigurationError(problems: problems) }
        return config
    }

    /// Every problem with the values, each naming its environment variable.
    public func validate() -> [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        func require(_ ok: Bool, _ key: String, _ message: String) {
            if !ok { problems.append(.init(key: key, message: message)) }
        }
        require(!listen.isEmpty, "RW_LISTEN", "must be a socket path or host:port")
        if ListenAddress(listen) == nil {
            problems.append(.init(key: "RW_LISTEN", message: "'\(listen)' is neither a socket path nor host:port"))
        }
        require(Int(socketMode, radix: 8).map { (0...0o777).contains($0) } ?? false,
                "RW_SOCKET_MODE", "must be octal permissions such as 0660")
        require(allowedClients.isEmpty || allowedClients.split(separator: ",").allSatisfy { $0.trimmingSpaces().isIPv4Address },
                "RW_ALLOWED_CLIENTS", "must be IPv4 addresses separated by commas")
        require((1...65535).contains(backlog), "RW_BACKLOG", "must be 1 to 65535")
        require((1...256).contains(responders), "RW_RESPONDERS", "must be 1 to 256")
        require(maxRequests >= 1, "RW_MAX_REQUESTS", "must be at least 1")
        require(maxRequestsJitter >= 0 && maxRequestsJitter < maxRequests,
                "RW_MAX_REQUESTS_JITTER", "must be 0 or more and below RW_MAX_REQUESTS")
        require(maxBodyBytes >= 1024, "RW_MAX_BODY_BYTES", "must be at least 1024")
        require(maxPixels >= 1, "RW_MAX_PIXELS", "must be at least 1")
        require(maxFrames >= 1, "RW_MAX_FRAMES", "must be at least 1")
        require(maxTotalPixels >= maxPixels, "RW_MAX_TOTAL_PIXELS", "must be at least RW_MAX_PIXELS")
        require(maxJPEGScans >= 1, "RW_MAX_JPEG_SCANS", "must be at least 1")
        require((1...65535).contains(maxBox), "RW_MAX_BOX", "must be 1 to 65535")
        require(maxOutputBytes >= 1024, "RW_MAX_OUTPUT_BYTES", "must be at least 1024")
        require((1...3600).contains(timeLimitSeconds), "RW_TIME_LIMIT", "must be 1 to 3600 seconds")
        require((1...3600).contains(idleTimeoutSeconds), "RW_IDLE_TIMEOUT", "must be 1 to 3600 seconds")
        require((0...3600).contains(gracefulTimeoutSeconds), "RW_GRACEFUL_TIMEOUT", "must be 0 to 3600 seconds")
        require(memoryLimitMiB == 0 || memoryLimitMiB >= 64, "RW_MEMORY_LIMIT_MB", "must be 0 (no limit) or at least 64")
        require(maxRSSMiB >= 64, "RW_MAX_RSS_MB", "must be at least 64")
        require(!user.isEmpty, "RW_USER", "must name a user")
        require(["on", "off"].contains(sandbox), "RW_SANDBOX", "must be on or off")
        require(slowRequestMilliseconds >= 1, "RW_SLOW_REQUEST_MS", "must be at least 1")
        require((1...64).contains(vipsConcurrency), "RW_VIPS_CONCURRENCY", "must be 1 to 64")
        require(["text", "json"].contains(logFormat), "RW_LOG_FORMAT", "must be text or json")
        require(Self.logLevels.contains(logLevel), "RW_LOG_LEVEL",
                "must be one of \(Self.logLevels.joined(separator: ", "))")
        if ListenAddress(previewListen) == nil {
            problems.append(.init(key: "RW_PREVIEW_LISTEN", message: "'\(previewListen)' is neither a socket path nor host:port"))
        }
        // The fetchers' client connects to a socket path or an IPv4 address; a name is never looked up.
        switch ListenAddress(previewImages) {
        case .unix: break
        case .tcp(let host, _) where host.isIPv4Address: break
        default:
            problems.append(.init(key: "RW_PREVIEW_IMAGES", message: "'\(previewImages)' is neither a socket path nor IPv4:port"))
        }
        require(!previewUser.isEmpty, "RW_PREVIEW_USER", "must name a user")
        require((1...256).contains(previewResponders), "RW_PREVIEW_RESPONDERS", "must be 1 to 256")
        require(previewPortNumbers != nil, "RW_PREVIEW_PORTS", "must be port numbers (1 to 65535) separated by commas")
        require((1024...(64 << 20)).contains(previewMaxBytes), "RW_PREVIEW_MAX_BYTES", "must be 1024 to 64 MiB")
        require((1024...(256 << 20)).contains(previewImageMaxBytes), "RW_PREVIEW_IMAGE_MAX_BYTES", "must be 1024 to 256 MiB")
        require((100...60_000).contains(previewConnectTimeoutMilliseconds), "RW_PREVIEW_CONNECT_TIMEOUT_MS",
                "must be 100 to 60000")
        require((100...600_000).contains(previewTimeoutMilliseconds), "RW_PREVIEW_TIMEOUT_MS", "must be 100 to 600000")
        require(!previewUserAgent.isEmpty && previewUserAgent.count <= 300
                && previewUserAgent.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F },
                "RW_PREVIEW_USER_AGENT", "must be 1 to 300 printable ASCII characters")
        require(previewProxy.isEmpty || Self.isProxyAddress(previewProxy), "RW_PREVIEW_PROXY",
                "must be empty or http://IP:port (a proxy named by a name would be resolved unchecked)")
        require((16...maxBox).contains(previewImageBox), "RW_PREVIEW_IMAGE_BOX", "must be 16 to RW_MAX_BOX")
        return problems
    }

    /// `http://IPv4:port` or `http://[IPv6]:port`, an optional `/` after.
    static func isProxyAddress(_ text: String) -> Bool {
        guard text.hasPrefix("http://") else { return false }
        var rest = text.dropFirst("http://".count)
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard case .tcp(let host, _) = ListenAddress(String(rest)) else { return false }
        let bracketed = rest.hasPrefix("[\(host)]:")
        return host.isIPv4Address || (bracketed && host.contains(":") && host.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." })
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

    /// `previewPorts` as numbers, or nil when it does not read as a list of ports.
    public var previewPortNumbers: Set<Int>? {
        var ports = Set<Int>()
        for part in previewPorts.split(separator: ",") {
            guard let port = Int(part.trimmingSpaces()), (1...65535).contains(port) else { return nil }
            ports.insert(port)
        }
        return ports.isEmpty ? nil : ports
    }

    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// The settings as environment variables, so a spawned responder loads exactly these.
    public func environment() -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in Self.keys {
            switch value {
            case .text(let path): result[key] = self[keyPath: path]
            case .number(let path): result[key] = String(self[keyPath: path])
            }
        }
        return result
    }
}

extension StringProtocol {
    /// Four dot-separated numbers from 0 to 255.
    var isIPv4Address: Bool { ipv4Value != nil }

    /// The address of four dot-separated decimal numbers from 0 to 255 (one to three
    /// digits each), in host byte order: 127.0.0.1 is 0x7F00_0001. The one reading of
    /// `RW_ALLOWED_CLIENTS`, for checking the setting and for applying it.
    public var ipv4Value: UInt32? {
        let parts = split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let byte = UInt8(part) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
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
