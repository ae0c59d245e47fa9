/* tcp_reach_priv.h - does anything accept a TCP connection at host:port?
 *
 * pipe_smb.c asks this before an open that would run alone under its
 * process-wide lock (libsmbclient still cold, or no thread hooks): a server
 * that refuses or never answers is then found out without entering
 * libsmbclient or taking the lock, so one dead router does not hold every
 * other probe up for a whole connect timeout. */
#ifndef MPRMON_TCP_REACH_PRIV_H
#define MPRMON_TCP_REACH_PRIV_H

#include "mprapi.h"

/* host as names_server_to_host gives it (a name, an IPv4 address, or an IPv6
 * address in brackets).  NO_ERROR when a connection was accepted (and closed
 * at once), and also when the answer is unknown: a name that getaddrinfo
 * cannot resolve (a NetBIOS name, say) is left to libsmbclient.
 * RPC_S_SERVER_UNAVAILABLE when every address refused or did not answer
 * within timeout_ms; ERROR_TOO_MANY_OPEN_FILES when no socket could be made
 * for lack of descriptors. */
DWORD tcp_reach_check(const char *host, unsigned port, unsigned timeout_ms);

/* Servers that did not answer lately.  Once libsmbclient is warm, opens skip
 * the check above, and a connect whose packets are dropped then waits for
 * libsmbclient's own connect timeout (about 5 s in 4.17), not ours: a server
 * noted as silent is checked first on its next open, so a router that stays
 * down costs `timeout_ms` per probe.  A fixed table keyed by a hash of host
 * and port (a collision only costs one check, or one long wait). */
void tcp_reach_note(const char *host, unsigned port, int answered);
int tcp_reach_suspect(const char *host, unsigned port);

#endif
