/// One setting, declared once: its environment variable, its flag, which pool reads it,
/// its one-line meaning, and how its text is read into a typed value and written back.
/// Loading, `check-config`, the responders' environment, the README's table and the
/// package's defaults file all come from (or are tested against) `Setting.all`.
public struct Setting {
    public enum Pools: String, CaseIterable, Sendable {
        case images = "image pool"
        case previews = "link-preview pool"
        case both = "both pools"
    }

    /// The environment variable, e.g. `RW_MAX_BOX`.
    public let key: String
    public let pools: Pools
    /// What it means, in one line.
    public let summary: String
    /// Reads the text into a configuration; a problem's message when it does not read.
    let read: (inout WorkerConfiguration, String) -> String?
    /// The value, as the environment writes it.
    let write: (WorkerConfiguration) -> String

    /// The flag of `serve`, `respond` and `check-config`: the key without `RW_`, in lower
    /// case with hyphens (`RW_MAX_BOX` is `--max-box`, `UID` is `--uid`).
    public var flag: String {
        let name = key.hasPrefix("RW_") ? String(key.dropFirst(3)) : key
        return "--" + name.lowercased().replacingUnderscores()
    }

    /// The default as the environment writes it.
    public var defaultValue: String { write(WorkerConfiguration()) }

    public func value(in configuration: WorkerConfiguration) -> String { write(configuration) }

    /// A setting of any type: `parse` gives nil for text that does not read, `expected` says what would.
    static func typed<Value>(_ key: String, _ pools: Pools, _ path: WritableKeyPath<WorkerConfiguration, Value>,
                             _ summary: String, expected: String, parse: @escaping (String) -> Value?,
                             write: @escaping (Value) -> String) -> Setting {
        Setting(key: key, pools: pools, summary: summary,
                read: { configuration, text in
                    guard let value = parse(text) else { return "'\(text)' is not valid: \(expected)" }
                    configuration[keyPath: path] = value
                    return nil
                },
                write: { write($0[keyPath: path]) })
    }

    /// A whole number within `range`.
    static func number(_ key: String, _ pools: Pools, _ path: WritableKeyPath<WorkerConfiguration, Int>,
                       _ range: ClosedRange<Int>, _ summary: String, expected: String? = nil) -> Setting {
        typed(key, pools, path, summary, expected: expected ?? "a whole number from \(range.lowerBound) to \(range.upperBound)",
              parse: { text in
                  let trimmed = text.trimmingSpaces()
                  guard (1...19).contains(trimmed.count), trimmed.allSatisfy({ $0.isASCII && $0.isNumber }),
                        let value = Int(trimmed), range.contains(value) else { return nil }
                  return value
              },
              write: { String($0) })
    }

    /// Free text, checked by `valid`.
    static func text(_ key: String, _ pools: Pools, _ path: WritableKeyPath<WorkerConfiguration, String>,
                     _ summary: String, expected: String = "any text", valid: @escaping (String) -> Bool = { _ in true }) -> Setting {
        typed(key, pools, path, summary, expected: expected, parse: { valid($0) ? $0 : nil }, write: { $0 })
    }

    /// One of a fixed list of words.
    static func choice<Value: RawRepresentable & CaseIterable>(
        _ key: String, _ pools: Pools, _ path: WritableKeyPath<WorkerConfiguration, Value>, _ summary: String
    ) -> Setting where Value.RawValue == String {
        typed(key, pools, path, summary, expected: Value.allCases.map(\.rawValue).joined(separator: ", "),
              parse: { Value(rawValue: $0) }, write: { $0.rawValue })
    }
}

extension Setting {
    /// The README's table: every setting, its flag, its default, who reads it and its meaning.
    public static var markdownTable: String {
        var lines = ["| env var | flag | default | read by | meaning |", "|---|---|---|---|---|"]
        for setting in all {
            let defaultText = switch (setting.key, setting.defaultValue) {
            case ("RW_RESPONDERS", _): "number of cores"
            case (_, ""): "empty"
            case (_, let value): "`\(value)`"
            }
            lines.append("| `\(setting.key)` | `\(setting.flag)` | \(defaultText) | \(setting.pools.rawValue) | \(setting.summary) |")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String { String(map { $0 == "_" ? "-" : $0 }) }
}
