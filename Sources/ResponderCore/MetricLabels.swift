/// The `code` label of each finished request, by index on the scoreboard.
public enum MetricLabels {
    /// "ok" first, then every error code; the order is the scoreboard's, so only append.
    public static let codes: [String] = ["ok"] + ServiceError.examples.map(\.code)

    public static func codeIndex(_ failure: ServiceError?) -> Int {
        guard let failure else { return 0 }
        return codes.firstIndex(of: failure.code) ?? 0
    }
}

public extension ServiceError {
    /// One value of every case, so tables over all codes cannot miss one.
    static let examples: [ServiceError] = [
        .noFile, .unsupportedType(detail: ""), .notJPEG, .badParameter(""), .corruptImage(detail: ""),
        .tooLarge(limit: 0), .tooManyPixels(limit: 0), .tooManyFrames(limit: 0), .timeout, .overloaded,
        .notFound, .methodNotAllowed(allowed: []), .notImplemented, .internalError(detail: ""),
        .unauthorized, .incompleteBody(received: 0, declared: 0), .outputTooLarge(limit: 0), .forbidden,
        .badURL(""), .blockedAddress, .fetchTooLarge(limit: 0), .unsupportedContent(detail: ""),
        .fetchFailed(detail: "", targetStatus: nil), .fetchTimeout,
    ]
}
