/// Step: the independent detector reads the assembled file; every segment in which it
/// still finds a sign of a position goes whole. A position never leaves: when the
/// detector still finds one after that, the file is refused.
func detectLocation(_ bytes: [UInt8], _ report: inout PreparationReport) throws(PrepareError) -> [UInt8] {
    let findings = LocationDetector.findings(in: bytes)
    guard !findings.isEmpty else { return bytes }
    var output = bytes
    for finding in findings.reversed() { output.removeSubrange(finding.range) }
    report.detectorDrops += findings.count
    report.gpsRemoved = true
    guard LocationDetector.findings(in: output).isEmpty else {
        throw .failed("the location detector still finds a position after dropping \(findings.map(\.reason))")
    }
    return output
}
