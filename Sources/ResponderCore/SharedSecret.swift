/// The worker secret check every service makes before any work (`RW_SHARED_SECRET`).
public enum SharedSecret {
    /// True when no secret is configured, or the request carries it.
    public static func admits(_ request: Request, secret: String) -> Bool {
        secret.isEmpty || constantTimeEquals(request.workerSecret ?? "", secret)
    }
}

/// Compares without stopping at the first difference, so timing tells nothing about the secret.
public func constantTimeEquals(_ given: String, _ expected: String) -> Bool {
    let a = Array(given.utf8)
    let b = Array(expected.utf8)
    var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
    for index in 0..<b.count {
        difference |= (index < a.count ? a[index] : 0) ^ b[index]
    }
    return difference == 0 && a.count == b.count
}
