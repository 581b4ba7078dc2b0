/// Ports as people write them: `80,443`, `8000-8100`, `1-65535`, or a mix.
public struct PortSet: Equatable, Sendable, CustomStringConvertible {
    /// Inclusive ranges, in the order written.
    public let ranges: [ClosedRange<Int>]

    public init?(_ text: String) {
        var ranges: [ClosedRange<Int>] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
            guard (1...2).contains(bounds.count), let low = Self.port(bounds[0]),
                  let high = bounds.count == 2 ? Self.port(bounds[1]) : low, low <= high else { return nil }
            ranges.append(low...high)
        }
        guard !ranges.isEmpty else { return nil }
        self.ranges = ranges
    }

    public func contains(_ port: Int) -> Bool { ranges.contains { $0.contains(port) } }

    public var description: String {
        ranges.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ",")
    }

    /// One to five decimal digits naming 1 to 65535.
    private static func port(_ text: Substring) -> Int? {
        guard (1...5).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }),
              let value = Int(text), (1...65535).contains(value) else { return nil }
        return value
    }
}
