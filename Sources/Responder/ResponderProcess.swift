import CSandbox
import ImageKit
import Logging
import ResponderCore
import Scoreboard
import WorkerConfig

/// An image responder: the serving loop with the image libraries started and no
/// network at all. Decoding happens only in processes like this one.
public enum ResponderProcess {
    /// What an image responder may read besides its own temp directory: what decoding was
    /// measured to open (`scripts/derive-syscalls.py` lists the paths): the libraries and
    /// their data under /usr, ImageMagick's configuration, the dynamic loader's cache, the
    /// time zone, fontconfig's files for SVG text, its own /proc entries for memory
    /// figures, the CPU list. No sockets.
    public static let sandbox = ResponderSandbox.Profile(
        readablePaths: [
            "/usr", "/etc/ImageMagick-6", "/etc/ld.so.cache", "/etc/localtime", "/etc/fonts",
            "/var/cache/fontconfig", "/proc/self", "/proc/sys/vm/overcommit_memory", "/sys/devices/system/cpu",
            "/dev/null", "/dev/urandom",
        ],
        network: false, role: PS_ROLE_IMAGES)

    /// Runs until retired or stopped; returns the process exit status.
    public static func run(configuration: WorkerConfiguration, poolStartedAt: Double, supervisorPID: Int32?,
                           seat: ServingLoop.Seat?, temporaryDirectory: String, logger: Logger) -> Int32 {
        ServingLoop.run(profile: sandbox, configuration: configuration, supervisorPID: supervisorPID, seat: seat,
                        temporaryDirectory: temporaryDirectory, logger: logger) {
            try VipsRuntime.start(concurrency: configuration.vipsConcurrency)
            let processor = try ImageProcessor(limits: ImageLimits(configuration))
            processor.identified = { CrashReport.identified(type: $0.mimeType) }
            let context = EndpointContext(configuration: configuration, processor: processor, poolStartedAt: poolStartedAt,
                                          clock: unixTime, scoreboard: seat?.scoreboard)
            return RoutedService(table: Routes.table, context: context, secret: configuration.sharedSecret)
        }
    }
}
