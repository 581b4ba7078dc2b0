import Foundation
import Testing
@testable import WorkerConfig

/// The README's configuration table and the package's defaults file against `Setting.all`.
@Suite struct SettingsDocumentationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The rows of the README's table: env var, flag, default, meaning.
    static func readmeRows() throws -> [[String]] {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "\n## Configuration\n").dropFirst().first)
        return section.components(separatedBy: "\n## ").first!.split(separator: "\n")
            .filter { $0.hasPrefix("| `") }
            .map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    @Test func theReadmesTable_listsExactlyTheSettings_withTheirFlagsAndDefaults() throws {
        let rows = try Self.readmeRows()
        #expect(rows.map { $0[0] } == Setting.all.map { "`\($0.key)`" })
        for (row, setting) in zip(rows, Setting.all) {
            #expect(row[1] == "`\(setting.flag)`", "\(setting.key)'s flag")
        }
        // Whole rows: `remote-worker check-config --markdown` prints the table to paste.
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(Setting.markdownTable + "\n"), "the README's table is not check-config --markdown's")
    }

    @Test func theDefaultsFile_namesOnlySettings_andEachValueReads() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("deploy/remote-worker.default"), encoding: .utf8)
        var named = 0
        for line in text.split(separator: "\n") {
            let assignment = line.hasPrefix("#") ? line.dropFirst() : line
            guard let equals = assignment.firstIndex(of: "="), assignment.prefix(while: { $0 != "=" }).allSatisfy({ $0.isUppercase || $0 == "_" })
            else { continue }
            let key = String(assignment[..<equals])
            let value = String(assignment[assignment.index(after: equals)...])
            #expect(Setting.named(key) != nil, "\(key) in the defaults file is no setting")
            #expect((try? WorkerConfiguration.load(environment: [key: value])) != nil, "\(key)=\(value) does not read")
            named += 1
        }
        #expect(named > 0)
    }
}

/// The nginx snippets as shipped hold the limits the default settings render, and the
/// rendering follows the settings.
@Suite struct NginxLimitsTests {
    @Test func theShippedSnippets_holdTheDefaultsRendering() throws {
        let nginx = SettingsDocumentationTests.root.appendingPathComponent("nginx")
        let snippets = try ["remote-worker-locations.conf", "remote-worker-fastcgi.conf"].map {
            try String(contentsOf: nginx.appendingPathComponent($0), encoding: .utf8)
        }.joined(separator: "\n")
        for (name, value) in NginxLimits(WorkerConfiguration()).directives {
            let lines = snippets.split(separator: "\n").filter { $0.hasPrefix(name + " ") }
            #expect(lines == ["\(name) \(value);"], "\(name): \(lines)")
        }
    }

    @Test func theLimits_followTheSettings() throws {
        let limits = NginxLimits(try WorkerConfiguration.load(environment: ["RW_MAX_BODY_BYTES": "4096", "RW_TIME_LIMIT": "5"]))
        #expect(limits.directives.map(\.value) == ["4096", "6s", "6s", "5s"])
    }
}
