import Foundation
import ImageKit

/// `remote-worker-bench OPERATION FILE [ITERATIONS]`: the image work of one
/// endpoint, in process, with no HTTP, so end-to-end times can be compared
/// with what the work itself costs. Prints the median and best milliseconds.
@main
struct ImageBench {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 3, let contents = FileManager.default.contents(atPath: arguments[2]) else {
            print("usage: remote-worker-bench info|fit:BOX|avatars|prepare FILE [ITERATIONS]")
            exit(2)
        }
        // The responder hands ImageKit an array, as the upload parser produces it.
        let data = [UInt8](contents)
        let iterations = arguments.count > 3 ? Int(arguments[3]) ?? 20 : 20
        try VipsRuntime.start(concurrency: 1)
        let processor = try ImageProcessor(limits: ImageLimits(maxPixels: 100_000_000, maxFrames: 500, maxTotalPixels: 400_000_000))
        let operation = arguments[1]
        let work: () throws -> Void
        switch operation {
        case "info": work = { _ = try processor.inspect(ImageBytes(copying: data)) }
        case "avatars": work = { _ = try processor.avatars(ImageBytes(copying: data)) }
        case "prepare": work = { _ = try processor.prepareJPEG(data, policy: .removeLocation) }
        case let fit where fit.hasPrefix("fit:"):
            let box = Int(fit.dropFirst(4)) ?? 300
            work = { _ = try processor.fit(ImageBytes(copying: data), box: box) }
        default:
            print("unknown operation \(operation)")
            exit(2)
        }
        try work() // warm-up
        var times: [Double] = []
        for _ in 0..<iterations {
            let start = DispatchTime.now().uptimeNanoseconds
            try work()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        times.sort()
        print(String(format: "%@ median_ms=%.2f best_ms=%.2f iterations=%d", operation, times[times.count / 2], times[0], iterations))
    }
}
