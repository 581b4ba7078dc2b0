/// Step: the independent detector reads the assembled file; every segment in which it
/// still finds a sign of a position goes whole. A position never leaves: when the
/// detector still finds one after that, the file is refused.
func detectLocation(_ bytes: [UInt8], _ report: inout PreparationReport) throws(PrepareError) -> [UInt8] {
    let findings = LocationDetector.findings(in: bytes)
    guard !findings.isEmpty else { return bytes }
    // One pass: the bytes between findings, in order.
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var kept = 0
    for finding in findings {
        output += bytes[kept..<finding.range.lowerBound]
        kept = finding.range.upperBound
    }
    output += bytes[kept...]
    report.detectorDrops += findings.count
    report.gpsRemoved = true
    guard LocationDetector.findings(in: output).isEmpty else {
        throw .failed("the location detector still finds a position after dropping \(findings.map(\.reason))")
    }
    return output
}
