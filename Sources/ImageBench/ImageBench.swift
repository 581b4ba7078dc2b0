import Foundation
import ImageKit
import Upload

/// `remote-worker-bench OPERATION FILE [ITERATIONS]`: the image work of one
/// endpoint (or the multipart step), in process, with no HTTP, so end-to-end times can be compared
/// with what the work itself costs. Prints the median and best milliseconds.
@main
struct ImageBench {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 3, let contents = FileManager.default.contents(atPath: arguments[2]) else {
            print("usage: remote-worker-bench info|describe|fit:BOX|fit-bare:BOX|fit-format:BOX:FORMAT|fit-animated:BOX|avatars|avatars-animated|prepare|copy|multipart|png-settings|fingerprints FILE [ITERATIONS]")
            exit(2)
        }
        // The responder hands ImageKit an array, as the upload parser produces it.
        let data = [UInt8](contents)
        let iterations = arguments.count > 3 ? Int(arguments[3]) ?? 20 : 20
        try VipsRuntime.start(concurrency: 1)
        let processor = try ImageProcessor(limits: ImageLimits(maxPixels: 100_000_000, maxFrames: 500, maxTotalPixels: 400_000_000))
        let operation = arguments[1]
        if operation == "png-settings" {
            try comparePNGSettings(data, iterations: iterations)
            return
        }
        if operation == "fingerprints" {
            try printFingerprints(processor, data)
            return
        }
        nonisolated(unsafe) var outputBytes = 0
        let work: () throws -> Void
        switch operation {
        case "info": work = { _ = try processor.inspect(ImageBytes(copying: data)) }
        case "describe": work = { _ = try processor.describe(ImageBytes(copying: data)) }
        case "avatars": work = { outputBytes = try processor.avatars(ImageBytes(copying: data)).avatars.reduce(0) { $0 + $1.png.count } }
        case "avatars-animated":
            work = { outputBytes = try processor.avatars(ImageBytes(copying: data), animated: true).avatars.reduce(0) { $0 + $1.png.count } }
        case "multipart":
            // Taking the file part out of a form upload, as a responder does before any image work.
            let body = Array("--bench\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n".utf8) + data
                + Array("\r\n--bench--\r\n".utf8)
            work = { outputBytes = try UploadExtractor.extract(body: body, contentType: "multipart/form-data; boundary=bench").bytes.count }
        case "prepare": work = { _ = try processor.prepareJPEG(data, policy: .removeLocation) }
        case "copy":
            // The floor for any work on the whole file: one copy of its bytes.
            work = {
                var copied = [UInt8](repeating: 0, count: data.count)
                copied.withUnsafeMutableBytes { target in data.withUnsafeBytes { target.copyMemory(from: $0) } }
                outputBytes = copied.count + Int(copied[copied.count / 2])
            }
        case let fit where fit.hasPrefix("fit-animated:"):
            let box = Int(fit.dropFirst(13)) ?? 300
            work = { _ = try processor.fit(ImageBytes(copying: data), box: box, animated: true) }
        case let fit where fit.hasPrefix("fit-format:"):
            // fit-format:BOX:FORMAT, e.g. fit-format:1024:avif
            let parts = fit.split(separator: ":")
            let box = parts.count > 1 ? Int(parts[1]) ?? 300 : 300
            let format = parts.count > 2 ? OutputFormat(rawValue: String(parts[2])) : nil
            work = { outputBytes = try processor.fit(ImageBytes(copying: data), box: box, format: format).output.bytes.count }
        case let fit where fit.hasPrefix("fit-bare:"):
            // fit without the placeholder, to measure what it adds
            let box = Int(fit.dropFirst(9)) ?? 300
            work = { _ = try processor.fit(ImageBytes(copying: data), box: box, placeholder: false) }
        case let fit where fit.hasPrefix("fit:"):
            let box = Int(fit.dropFirst(4)) ?? 300
            work = { _ = try processor.fit(ImageBytes(copying: data), box: box) }
        default:
            print("unknown operation \(operation)")
            exit(2)
        }
        var times: [Double] = []
        if iterations == 0 {
            // One cold run: the peak memory of a single request, as a fresh responder sees it.
            let start = DispatchTime.now().uptimeNanoseconds
            try work()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        } else {
            try work() // warm-up
        }
        for _ in 0..<iterations {
            let start = DispatchTime.now().uptimeNanoseconds
            try work()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        times.sort()
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        print(String(format: "%@ median_ms=%.2f best_ms=%.2f iterations=%d peak_rss_mb=%.1f output_mb=%.1f output_bytes=%d", operation,
                     times[times.count / 2], times[0], times.count, Double(usage.ru_maxrss) / 1024, Double(outputBytes) / 1e6,
                     outputBytes))
    }

    /// The six avatars of one image under each PNG setting: median milliseconds
    /// (decode included, the same for all) and total bytes, to choose `PNGSettings.standard`.
    static func comparePNGSettings(_ data: [UInt8], iterations: Int) throws {
        var settings: [PNGSettings] = []
        for compression: Int32 in [1, 3, 6, 9] {
            for filter in PNGSettings.Filter.allCases { settings.append(PNGSettings(compression: compression, filter: filter)) }
        }
        settings.append(PNGSettings(compression: 6, filter: .libvipsDefault, palette: true))
        settings.append(PNGSettings(compression: 9, filter: .libvipsDefault, palette: true))
        let limits = ImageLimits(maxPixels: 100_000_000, maxFrames: 500, maxTotalPixels: 400_000_000)
        for setting in settings {
            let processor = try ImageProcessor(limits: limits, png: setting)
            var bytes = 0
            var times: [Double] = []
            for _ in 0..<max(iterations, 1) {
                let start = DispatchTime.now().uptimeNanoseconds
                bytes = try processor.avatars(ImageBytes(copying: data)).avatars.reduce(0) { $0 + $1.png.count }
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            times.sort()
            print(String(format: "png-settings %@ median_ms=%.2f bytes=%d", setting.description, times[times.count / 2], bytes))
        }
    }

    /// One JSON line: the fingerprints /images/info gives, and the pixels they were computed
    /// from, for scripts/check-fingerprints.py to recompute with the reference implementations.
    static func printFingerprints(_ processor: ImageProcessor, _ data: [UInt8]) throws {
        let described = try processor.describe(ImageBytes(copying: data))
        let inputs = try processor.fingerprintInputs(ImageBytes(copying: data))
        let line: [String: Any] = [
            "blurhash": described.placeholder?.blurhash ?? NSNull(),
            "dominant_color": described.placeholder?.dominantColor ?? NSNull(),
            "phash": described.hashes?.phash ?? NSNull(),
            "dhash": described.hashes?.dhash ?? NSNull(),
            "tiny_width": inputs.tiny.width, "tiny_height": inputs.tiny.height,
            "tiny_rgb": Data(inputs.tiny.rgb).base64EncodedString(),
            "phash_grey": Data(inputs.phashGrey).base64EncodedString(),
            "dhash_grey": Data(inputs.dhashGrey).base64EncodedString(),
        ]
        let json = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }
}
