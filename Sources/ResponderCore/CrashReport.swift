import WorkerConfig
import CProcessControl
import CSandbox
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// What a crash in the middle of a request leaves behind: the request gets a JSON
/// 500 `internal` (nginx passes it on and, having had an answer, retries nowhere),
/// and the log one line naming the request. Both are prepared before the work
/// starts; the signal handler only writes them (crash_report.c).
public enum CrashReport {
    /// Installs the handler; lines follow `logFormat` (`text` or `json`).
    public static func install(logFormat: LogFormat) -> Bool {
        json = logFormat == .json
        return ps_crash_report_install() == 0
    }

    /// From here until `disarm`, a crash answers `request` on `connection` with a 500.
    public static func arm(_ request: Request, connection: FastCGIConnection, logger: Logger) {
        // The same bytes for every request with this FastCGI id (nginx always uses 1): built once.
        if answer.requestID != connection.requestID {
            answer = (connection.requestID,
                      FastCGIRecords.response(.error(.internalError(detail: "crashed")), requestID: connection.requestID))
        }
        _ = ps_crash_report_arm(connection.descriptor, answer.record, answer.record.count)
        current = Note(logger: logger.label, fields: [
            ("bytes_in", String(request.body.count)),
            ("endpoint", String("\(request.method) \(request.path)".prefix(300))),
            ("input_type", "not identified yet"),
            ("request_id", String(request.requestID.prefix(100))),
        ])
        publish()
    }

    /// The input's type, once the work has identified it.
    public static func identified(type: String) {
        current?.set("input_type", type)
        publish()
    }

    public static func disarm() {
        ps_crash_report_disarm()
        current = nil
    }

    /// The crash line's content. Its text has two markers the handler fills in:
    /// 0x01 for the time, 0x02 for the signal's name.
    public struct Note {
        static let message = "responder crashed while serving a request"
        var logger: String
        /// Sorted by name, as the other lines' metadata is; the signal comes last.
        var fields: [(String, String)]

        mutating func set(_ name: String, _ value: String) {
            if let index = fields.firstIndex(where: { $0.0 == name }) { fields[index].1 = value }
        }

        /// One JSON object, as JSONLogHandler writes them.
        var jsonLine: String {
            var json = JSONWriter()
            json.beginObject()
            json.field("level", "critical")
            json.field("logger", logger)
            json.field("pid", String(getpid()))
            json.field("message", Self.message)
            for (name, value) in fields { json.field(name, value) }
            json.endObject()
            let inner = String(decoding: json.bytes.dropFirst().dropLast(), as: UTF8.self)
            return "{\"time\":\"\u{01}\",\(inner),\"signal\":\"\u{02}\"}\n"
        }

        /// As swift-log's StreamLogHandler writes them; control bytes (a path's decoded
        /// newline, or a marker) become "?", so one crash is one line.
        var textLine: String {
            let metadata = fields.map { "\($0.0)=\(Self.printable($0.1))" }.joined(separator: " ")
            return "\u{01} critical \(logger): \(metadata) signal=\u{02} [Responder] \(Self.message)\n"
        }

        static func printable(_ text: String) -> String {
            String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
        }
    }

    nonisolated(unsafe) private static var current: Note?
    nonisolated(unsafe) private static var answer: (requestID: UInt16?, record: [UInt8]) = (nil, [])
    nonisolated(unsafe) private static var json = false

    private static func publish() {
        guard let note = current else { return }
        let line = json ? note.jsonLine : note.textLine
        _ = ps_crash_report_note(line, line.utf8.count, json ? 1 : 0)
    }
}
