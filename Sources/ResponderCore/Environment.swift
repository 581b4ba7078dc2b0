#if canImport(Glibc)
import Glibc
#endif

/// The process environment as a dictionary.
public func currentEnvironment() -> [String: String] {
    var result: [String: String] = [:]
    var cursor = environ
    while let entry = cursor.pointee {
        let text = String(cString: entry)
        if let equals = text.firstIndex(of: "=") {
            result[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        cursor += 1
    }
    return result
}

/// Name of the variable that carries the pool's start time to its responders.
public let poolStartedAtVariable = "RW_POOL_STARTED_AT"

/// Name of the variable that tells a responder which process supervises it.
public let supervisorPIDVariable = "RW_SUPERVISOR_PID"
