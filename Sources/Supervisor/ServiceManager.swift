import CProcessControl
import CSandbox
import CServiceManager

/// Tells systemd (Type=notify) when the pool is ready, reloading or stopping.
/// Does nothing when not started by systemd.
struct ServiceManager {
    func ready(responders: Int) {
        notify("READY=1\nSTATUS=serving with \(responders) responders")
    }

    func reloading() {
        notify("RELOADING=1\nSTATUS=replacing every responder")
    }

    func stopping() {
        notify("STOPPING=1\nSTATUS=finishing requests in hand")
    }

    private func notify(_ state: String) {
        _ = ps_notify(state)
    }
}
