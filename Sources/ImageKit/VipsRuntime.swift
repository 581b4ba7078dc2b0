import CVips
import CVipsShim

/// Starts libvips once per process, configured for untrusted input.
///
/// Responders call this after they are spawned; the supervisor never does,
/// so no libvips state or threads exist before a fork or spawn.
public enum VipsRuntime {
    nonisolated(unsafe) private static var started = false

    /// Loaders we route to on purpose after sniffing, although libvips marks
    /// them untrusted. Every other untrusted operation stays blocked.
    static let allowedUntrustedLoaders = [
        "VipsForeignLoadJp2kBuffer",
        "VipsForeignLoadSvgBuffer",
        "VipsForeignLoadMagickBuffer",
    ]

    /// - Parameter concurrency: libvips worker threads; one per responder is
    ///   usually right, as the pool already runs a responder per core.
    public static func start(concurrency: Int) throws(ImageError) {
        guard !started else { return }
        guard shim_init("remote-worker") == 0 else {
            throw .failed(detail: "libvips failed to start: \(VipsErrorBuffer.take())")
        }
        // Every request is a different image: caching operations only costs memory.
        vips_cache_set_max(0)
        vips_cache_set_max_mem(0)
        vips_cache_set_max_files(0)
        vips_concurrency_set(Int32(concurrency))
        vips_block_untrusted_set(1)
        for loader in allowedUntrustedLoaders {
            vips_operation_block_set(loader, 0)
        }
        started = true
    }
}
