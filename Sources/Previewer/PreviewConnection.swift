import CProcessControl
import LinkPreview
import ResponderCore

#if canImport(Glibc)
import Glibc
#endif

/// One FastCGI connection from nginx, read and written without blocking: records
/// read as they come (`FastCGIRequestReader`), one request at a time (nginx never
/// multiplexes; a second one is refused as the protocol says), the answer written
/// as the socket takes it, the connection kept when nginx asked to keep it. A
/// connection that closes or aborts its request cancels the request's task, and
/// with it every fetch the preview has in flight.
final class PreviewConnection: @unchecked Sendable {
    private let descriptor: Int32
    private unowned let server: PreviewServer
    private var reader: FastCGIRequestReader
    private let idleTimeout: Double
    private var token: UInt64?
    private var output: [UInt8] = []
    private var written = 0
    private var current: (id: UInt16, keep: Bool, task: Task<Void, Never>)?
    private var closeAfterWrite = false
    private var idleTimer: UInt64?
    private var isClosed = false

    init(descriptor: Int32, server: PreviewServer, maxBodyBytes: Int, idleTimeout: Double) {
        self.descriptor = descriptor
        self.server = server
        self.idleTimeout = idleTimeout
        reader = FastCGIRequestReader(maxBodyBytes: maxBodyBytes)
    }

    /// A request is in flight or an answer is being written.
    var isBusy: Bool { current != nil || written < output.count }

    private var loop: FetchLoop { server.loopForConnections }

    func start() -> Bool {
        token = loop.watch(descriptor, readable: true, writable: false) { [weak self] readiness in self?.ready(readiness) }
        guard token != nil else {
            _ = Glibc.close(descriptor)
            return false
        }
        armIdleTimer()
        return true
    }

    private func ready(_ readiness: FetchLoop.Readiness) {
        if readiness.writable { flush() }
        if readiness.readable || readiness.hangup { read() }
    }

    private func read() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !isClosed {
            let got = buffer.withUnsafeMutableBytes { ps_read_some(descriptor, $0.baseAddress, $0.count) }
            if got == -Int(EAGAIN) { return }
            guard got > 0 else { return close() } // the peer went away (or failed): its request is abandoned
            do throws(FastCGIRequestReader.Malformed) {
                for event in try reader.take(buffer[0..<got]) { handle(event) }
            } catch {
                return close()
            }
        }
    }

    private func handle(_ event: FastCGIRequestReader.Event) {
        switch event {
        case let .request(id, keep, parameters, body, bodyTooLarge):
            guard current == nil else { return send(FastCGIRecords.endRequest(requestID: id, status: .cantMultiplex)) }
            disarmIdleTimer()
            let request = Request(parameters: parameters, body: body)
            let refusal: ServiceError? = bodyTooLarge ? .tooLarge(limit: reader.maxBodyBytes) : nil
            // The task is made now and runs once this handler returns to the loop.
            current = (id, keep, server.received(request, refusal: refusal, on: self))
        case .abort(let id):
            guard let current, current.id == id else { return }
            current.task.cancel()
        case .unknownRole(let id):
            send(FastCGIRecords.endRequest(requestID: id, status: .unknownRole))
        case .multiplexed(let id):
            send(FastCGIRecords.endRequest(requestID: id, status: .cantMultiplex))
        case .getValues(let names):
            let known = [("FCGI_MAX_CONNS", "1024"), ("FCGI_MAX_REQS", "1024"), ("FCGI_MPXS_CONNS", "0")]
            send(FastCGIRecords.valuesResult(known.filter { names.contains($0.0) }))
        case .unknownType(let type):
            send(FastCGIRecords.unknownType(type))
        }
    }

    /// The request's answer (or its abort's end): written, then the connection kept or closed.
    func answer(_ response: Response) {
        guard let current, !isClosed else { return }
        self.current = nil
        if current.task.isCancelled {
            // nginx aborted the request: it waits for the end record alone.
            send(FastCGIRecords.endRequest(requestID: current.id, status: .requestComplete))
        } else {
            send(FastCGIRecords.response(response, requestID: current.id))
        }
        if !current.keep { closeAfterWrite = true }
        if written >= output.count { afterWrite() }
        armIdleTimer()
    }

    private func send(_ bytes: [UInt8]) {
        guard !isClosed else { return }
        if written >= output.count {
            output = bytes
            written = 0
        } else {
            output += bytes
        }
        flush()
    }

    private func flush() {
        while written < output.count, !isClosed {
            let count = output.withUnsafeBytes { raw in ps_write_some(descriptor, raw.baseAddress! + written, raw.count - written) }
            if count == -Int(EAGAIN) {
                if let token { loop.change(descriptor, token: token, readable: true, writable: true) }
                return
            }
            guard count > 0 else { return close() }
            written += count
        }
        if let token, !isClosed { loop.change(descriptor, token: token, readable: true, writable: false) }
        afterWrite()
    }

    private func afterWrite() {
        guard written >= output.count else { return }
        output = []
        written = 0
        if closeAfterWrite && current == nil { close() }
    }

    private func armIdleTimer() {
        disarmIdleTimer()
        idleTimer = loop.after(idleTimeout) { [weak self] in
            guard let self, !self.isBusy else { return }
            self.close()
        }
    }

    private func disarmIdleTimer() {
        if let idleTimer { loop.cancelTimer(idleTimer) }
        idleTimer = nil
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        disarmIdleTimer()
        current?.task.cancel()
        if let token { loop.unwatch(descriptor, token: token) }
        _ = Glibc.close(descriptor)
        server.closed(self)
    }
}
