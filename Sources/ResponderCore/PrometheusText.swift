/// Prometheus' text exposition format, written line by line.
struct PrometheusText {
    private(set) var bytes: [UInt8] = []

    mutating func family(_ name: String, _ type: String, _ help: String) {
        append("# HELP \(name) \(help)\n# TYPE \(name) \(type)\n")
    }

    mutating func sample(_ name: String, _ labels: [String: String], _ value: Int) {
        append("\(name)\(Self.format(labels)) \(value)\n")
    }

    mutating func sample(_ name: String, _ labels: [String: String], _ value: Double) {
        append("\(name)\(Self.format(labels)) \(value)\n")
    }

    private mutating func append(_ text: String) { bytes.append(contentsOf: Array(text.utf8)) }

    /// Labels sorted by name; values escaped as the format requires.
    private static func format(_ labels: [String: String]) -> String {
        guard !labels.isEmpty else { return "" }
        let pairs = labels.sorted { $0.key < $1.key }.map { key, value in
            let escaped = value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
                .replacing("\n", with: "\\n")
            return "\(key)=\"\(escaped)\""
        }
        return "{" + pairs.joined(separator: ",") + "}"
    }
}
