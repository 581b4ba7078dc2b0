/// Where each field lives among the scoreboard's counters. Fixed capacities
/// keep the layout the same in every process without negotiation.
enum ScoreboardLayout {
    /// Twice the largest pool: during a reload old and new responders overlap.
    static let maxSlots = 512
    static let endpointCapacity = 32
    static let codeCapacity = 32
    /// Upper bounds of the latency histogram buckets, in seconds; one more bucket holds the rest.
    static let latencyBucketsSeconds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

    // Pool-wide counters.
    static let startedAt = 0
    static let accepted = 1
    static let maxActive = 2
    static let maxActiveReached = 3
    static let slowRequests = 4
    static let listenQueue = 5
    static let listenQueueMax = 6
    static let listenQueueLength = 7
    static let spawned = 8
    static let crashes = 9
    static let deadlineKills = 10
    static let memoryRetirements = 11
    static let locationDetectorDrops = 12
    private static let headerWords = 16

    private static let slotWords = 8
    static func slot(_ index: Int) -> Int { headerWords + index * slotWords }

    private static let histogramsStart = headerWords + maxSlots * slotWords
    /// Buckets (plus the overflow bucket), then the sum and the count.
    static let histogramSum = latencyBucketsSeconds.count + 1
    static let histogramCount = histogramSum + 1
    private static let histogramWords = histogramCount + 1
    static func histogram(_ endpoint: Int) -> Int {
        histogramsStart + clamp(endpoint, endpointCapacity) * histogramWords
    }

    private static let codesStart = histogramsStart + endpointCapacity * histogramWords
    static func codeCount(endpoint: Int, code: Int) -> Int {
        codesStart + clamp(endpoint, endpointCapacity) * codeCapacity + clamp(code, codeCapacity)
    }

    static let wordCount = codesStart + endpointCapacity * codeCapacity

    /// Out-of-range labels share the last entry instead of spilling into other fields.
    private static func clamp(_ value: Int, _ capacity: Int) -> Int { min(max(value, 0), capacity - 1) }
}

/// The counters of one responder slot.
enum SlotField {
    static let pid = 0
    static let state = 1
    static let requests = 2
    /// Monotonic clock, microseconds.
    static let busySince = 3
    static let lastDuration = 4
    /// Unix time, microseconds.
    static let spawnedAt = 5
    static let endpoint = 6
}
