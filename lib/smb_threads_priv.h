/* smb_threads_priv.h - make Samba's libraries (under libsmbclient) safe to
 * call from several threads at once. */
#ifndef MPRMON_SMB_THREADS_PRIV_H
#define MPRMON_SMB_THREADS_PRIV_H

/*
 * Install pthread-based thread hooks in Samba's libsamba-util (what
 * smbc_thread_posix() would do, had Debian's libsmbclient exported it), once
 * per process.  Call it before anything in the process uses libsmbclient:
 * Samba's single-threaded talloc stack, once used, cannot be converted.
 *
 * Returns 1 when the hooks are in place (ours, or someone else's installed
 * before), so that calls on different libsmbclient contexts may run in
 * parallel; 0 when they cannot be installed (the symbol is missing or an
 * allocation failed), and every libsmbclient call must then be serialised.
 * Thread-safe; later calls return the first call's answer.
 */
int smb_threads_install(void);

#endif
