import Logging
import WorkerConfig

/// One stderr logger per process, labelled with its role: text for people,
/// or one JSON object per line (`RW_LOG_FORMAT=json`) for log collectors.
public func makeLogger(role: String, level: LogLevel, format: LogFormat) -> Logger {
    let level = Logger.Level(rawValue: level.rawValue) ?? .info
    LoggingSystem.bootstrap { label in
        if format == .json {
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
    var logger = Logger(label: "remote-worker.\(role)")
    logger.logLevel = level
    return logger
}
