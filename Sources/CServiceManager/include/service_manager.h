// Why this module is C: telling systemd how the service is doing is one
// datagram to the socket NOTIFY_SOCKET names, which may be abstract (a name
// starting with '@'): a sockaddr_un filled by hand.
#ifndef SERVICE_MANAGER_H
#define SERVICE_MANAGER_H

/// Sends `state` (e.g. "READY=1") to systemd's NOTIFY_SOCKET. 0 when sent,
/// 1 when there is no NOTIFY_SOCKET (not started by systemd), -errno on failure.
int ps_notify(const char *state);

#endif
