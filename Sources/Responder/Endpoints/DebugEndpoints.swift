#if DEBUG
import ResponderCore
import CProcessControl
import CEscapeProbe
import ImageKit
import Scoreboard
#if canImport(Glibc)
import Glibc
#endif

/// `GET /debug/sleep/{ms}`: holds the responder, to test time limits and
/// load. Debug builds only.
struct DebugSleepEndpoint: Endpoint {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response {
        guard let milliseconds = Int(request.routeParameter), (0...600_000).contains(milliseconds) else {
            throw .badParameter("sleep takes milliseconds")
        }
        usleep(UInt32(milliseconds) * 1000)
        return .ok
    }
}

/// `GET /debug/crash/{kind}`: the responder dies as a decoder bug would make it:
/// `abort`, `segv` (a wild write), `trap` (a Swift runtime check), `overflow` (the
/// stack runs out). A POSTed image is identified first, as a decoder would have
/// begun with it. Debug builds only.
struct DebugCrashEndpoint: Endpoint {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response {
        if request.method == "POST" {
            let upload = try UploadedImage(request)
            let processor = context.processor
            _ = try imageWork { () throws(ImageError) in try processor.inspect(upload.bytes) }
        }
        switch request.routeParameter {
        case "abort": abort()
        case "segv": UnsafeMutablePointer<Int>(bitPattern: 16)!.pointee = 1
        case "trap": _ = [Int]()[Int(request.routeParameter.count)]
        case "overflow": _ = recurse(1)
        default: throw .badParameter("crash takes abort, segv, trap or overflow")
        }
        return Response(body: [])
    }

    private func recurse(_ depth: Int) -> Int {
        var frame = [UInt8](repeating: UInt8(truncatingIfNeeded: depth), count: 64)
        return withUnsafeMutableBytes(of: &frame) { _ in recurse(depth + 1) } + Int(frame[0])
    }
}

/// `GET /debug/lie/{spin|stall}`: what a compromised responder would do to escape the
/// deadline: report itself idle on the scoreboard, then burn CPU (`spin`) or stop
/// taking connections (`stall`), for two minutes. Debug builds only.
struct DebugLieEndpoint: Endpoint {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response {
        guard let slot = getenv("RW_SLOT").flatMap({ Int(String(cString: $0)) }), let board = context.scoreboard else {
            throw .badParameter("lie needs a supervised responder")
        }
        board.markIdle(slot: slot)
        let until = monotonicSeconds() + 120
        switch request.routeParameter {
        case "spin":
            var sink: UInt64 = 0
            while monotonicSeconds() < until { sink = sink &* 6364136223846793005 &+ 1 }
            return Response(body: Array("\(sink)".utf8))
        case "stall":
            while monotonicSeconds() < until { usleep(100_000) }
            return Response(body: [])
        default:
            throw .badParameter("lie takes spin or stall")
        }
    }
}

/// Memory a leaking decoder would have kept.
nonisolated(unsafe) private var leaked: [[UInt8]] = []

/// `GET /debug/leak/{mb}`: keeps `mb` MiB resident after the request, as a
/// leaking decoder would. Debug builds only.
struct DebugLeakEndpoint: Endpoint {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response {
        guard let megabytes = Int(request.routeParameter), (1...4096).contains(megabytes) else {
            throw .badParameter("leak takes MiB")
        }
        leaked.append([UInt8](repeating: 1, count: megabytes * 1024 * 1024))
        return .ok
    }
}

/// `GET /debug/escape`: what a compromised decoder would try next: open
/// sockets, write outside the private temp directory. Reports each attempt's
/// errno (0 when it worked) and the responder's uid. Debug builds only.
struct DebugEscapeEndpoint: Endpoint {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response {
        let temp = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        let supervisor = getppid()
        // A sibling: another responder of the same pool, named by the caller (?sibling=PID).
        let sibling = Int32(request.query["sibling"] ?? "") ?? supervisor
        var json = JSONWriter()
        json.beginObject()
        json.field("pid", Int(getpid()))
        json.field("uid", Int(getuid()))
        json.field("landlock_abi", Int(ResponderSandbox.landlockABI))
        json.field("tcp_socket", attempt { socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0) })
        json.field("unix_socket", attempt { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0) })
        json.field("write_outside", attemptCreate("/tmp/remote-worker-escape-\(getpid())"))
        json.field("write_var_tmp", attemptCreate("/var/tmp/remote-worker-escape-\(getpid())"))
        json.field("write_temp", attemptCreate("\(temp)/probe-\(getpid())"))
        json.field("read_shadow", attempt { open("/etc/shadow", O_RDONLY) })
        json.field("read_passwd", attempt { open("/etc/passwd", O_RDONLY) })
        // The pool's temp directory holds each responder's own as responder-PID.
        let poolTemp = temp.split(separator: "/").dropLast().joined(separator: "/")
        json.field("read_sibling_temp", attempt { open("/\(poolTemp)/responder-\(sibling)", O_RDONLY | O_DIRECTORY) })
        for (name, target) in [("supervisor", supervisor), ("sibling", sibling)] {
            json.field("ptrace_\(name)", Int(ps_escape_attempt(PS_ESCAPE_PTRACE, target)))
            json.field("read_memory_\(name)", Int(ps_escape_attempt(PS_ESCAPE_READ_MEMORY, target)))
            json.field("signal_\(name)", Int(ps_escape_attempt(PS_ESCAPE_SIGNAL, target)))
        }
        json.field("exec", Int(ps_escape_attempt(PS_ESCAPE_EXEC, 0)))
        json.field("fork", Int(ps_escape_attempt(PS_ESCAPE_FORK, 0)))
        json.field("truncate_scoreboard", Int(ps_escape_attempt(PS_ESCAPE_TRUNCATE, Scoreboard.inheritedDescriptor)))
        json.endObject()
        return .json(json)
    }

    private func attemptCreate(_ path: String) -> Int {
        let result = attempt { open(path, O_WRONLY | O_CREAT, 0o600) }
        if result == 0 { unlink(path) }
        return result
    }

    /// 0 when the call returned a descriptor (closed again), else its errno.
    private func attempt(_ call: () -> Int32) -> Int {
        let fd = call()
        if fd >= 0 {
            close(fd)
            return 0
        }
        return Int(errno)
    }
}
#endif
