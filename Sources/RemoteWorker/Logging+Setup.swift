import Logging
import WorkerConfig

/// One stderr logger per process, labelled with its role.
func makeLogger(role: String, level: String) -> Logger {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = Logger.Level(rawValue: level) ?? .info
        return handler
    }
    var logger = Logger(label: "remote-worker.\(role)")
    logger.logLevel = Logger.Level(rawValue: level) ?? .info
    return logger
}
