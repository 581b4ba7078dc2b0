// Private to the sandbox module: loading a seccomp program, shared by its two filters.
#ifndef INSTALL_FILTER_H
#define INSTALL_FILTER_H

#include <linux/filter.h>

/// Sets no_new_privs and loads `program` for every thread of the process
/// (TSYNC: threads already running get it too). Returns 0 or -errno.
int ps_install_filter(struct sock_filter *program, unsigned short length);

#endif
