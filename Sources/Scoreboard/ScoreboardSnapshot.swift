/// What a responder slot is doing.
public enum ResponderState: Int64, Sendable {
    case empty = 0
    /// Spawned, not yet accepting.
    case starting = 1
    case idle = 2
    case busy = 3

    public var name: String {
        switch self {
        case .empty: "empty"
        case .starting: "starting"
        case .idle: "idle"
        case .busy: "busy"
        }
    }
}

public struct ResponderSnapshot: Sendable {
    public let slot: Int
    public let pid: Int32
    public let state: ResponderState
    public let requests: Int
    /// Monotonic seconds when the current request started (busy only).
    public let busySince: Double
    public let lastDuration: Double
    /// Unix seconds.
    public let spawnedAt: Double
    /// Endpoint label index of the current or last request; -1 before routing.
    public let endpoint: Int
}

public struct LatencyHistogram: Sendable {
    /// Per bucket (not cumulative), the last one for requests over every bound.
    public let counts: [Int]
    public let sumSeconds: Double
    public let count: Int

    public static var boundsSeconds: [Double] { ScoreboardLayout.latencyBucketsSeconds }
}

/// A copy of the scoreboard at one moment.
public struct ScoreboardSnapshot: Sendable {
    public let startedAt: Double
    public let accepted: Int
    public let maxActive: Int
    public let maxActiveReached: Int
    public let slowRequests: Int
    public let listenQueue: Int
    public let listenQueueMax: Int
    public let listenQueueLength: Int
    public let spawned: Int
    public let crashes: Int
    public let deadlineKills: Int
    public let memoryRetirements: Int
    /// Segments prepare_jpeg's second reader still found a position in, and dropped.
    public let locationDetectorDrops: Int
    public let responders: [ResponderSnapshot]
    /// By endpoint label index.
    public let histograms: [LatencyHistogram]
    /// By endpoint label index, then code label index.
    public let codeCounts: [[Int]]

    public var active: Int { responders.count { $0.state == .busy } }
    public var idle: Int { responders.count { $0.state == .idle } }
}
