/* smb_threads.c - Samba's thread hooks, installed without smbc_thread_posix.
 *
 * libsmbclient is thread-safe (one context per thread at a time) only once
 * Samba's thread hooks are installed: without them, libsamba-util keeps ONE
 * talloc stack of temporary frames for the whole process, and two threads in
 * libsmbclient at once free each other's frames (seen: talloc aborts and
 * SIGSEGVs during negprot).  smbc_thread_posix() installs pthread hooks, but
 * Debian 12's libsmbclient 4.17 declares it without exporting it.  The
 * function it calls, smb_thread_set_functions(), is exported by
 * libsamba-util (which libsmbclient loads), so we look it up at run time and
 * hand it our own pthread implementation of the hooks.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "smb_threads_priv.h"

/*
 * Mirrors struct smb_thread_functions in Samba's lib/util/smb_threads.h,
 * checked against tag samba-4.17.12 (Debian 12 ships 2:4.17.12+dfsg); the
 * layout has been the same since Samba 3.4 (2009).  No header for it is
 * installed.  Samba keeps the pointer it is given, so the instance below
 * lives as long as the process.
 */
struct smb_threads_samba_fns {
    int (*create_mutex)(const char *lockname, void **pplock,
                        const char *location);
    void (*destroy_mutex)(void *plock, const char *location);
    /* lock_type: SMB_THREAD_LOCK (1) or SMB_THREAD_UNLOCK (2) */
    int (*lock_mutex)(void *plock, int lock_type, const char *location);
    int (*create_tls)(const char *keyname, void **ppkey, const char *location);
    void (*destroy_tls)(void **ppkey, const char *location);
    int (*set_tls)(void *pkey, const void *pval, const char *location);
    void *(*get_tls)(void *pkey, const char *location);
};

#define SMB_THREADS_LOCK 1
#define SMB_THREADS_UNLOCK 2

typedef int (*smb_threads_set_fn)(const struct smb_threads_samba_fns *tf);
typedef int (*smb_threads_talloc_free_fn)(void *ptr, const char *location);

/*
 * Mirrors struct talloc_stackframe in Samba 4.17's lib/util/talloc_stack.c:
 * the value Samba keeps in its only thread-local key ("talloc_stackframe").
 * Samba 4.17 creates that key without a destructor, so every thread that
 * ever called libsmbclient would leak its stack on exit; ours frees it.
 */
struct smb_threads_samba_stack {
    int talloc_stacksize;
    int talloc_stack_arraysize;
    void **talloc_stack; /* talloc'ed array, parent of the frames */
};
#define SMB_THREADS_STACK_KEY "talloc_stackframe"

/* libtalloc's _talloc_free, found next to smb_thread_set_functions. */
static smb_threads_talloc_free_fn smb_threads_talloc_free;

static void smb_threads_stack_free(void *v)
{
    struct smb_threads_samba_stack *ts = v;

    /* Frames still on the stack mean the thread left in the middle of a
     * Samba call; their destructors would look for this very stack, so they
     * are left alone (a leak rather than a crash). */
    if (!ts || ts->talloc_stacksize != 0 || !smb_threads_talloc_free)
        return;
    if (ts->talloc_stack)
        smb_threads_talloc_free(ts->talloc_stack, __FILE__);
    free(ts);
}

static int smb_threads_create_mutex(const char *lockname, void **pplock,
                                    const char *location)
{
    pthread_mutex_t *m = malloc(sizeof(*m));
    int rc;

    (void)lockname;
    (void)location;
    if (!m)
        return ENOMEM;
    rc = pthread_mutex_init(m, NULL);
    if (rc != 0) {
        free(m);
        return rc;
    }
    *pplock = m;
    return 0;
}

static void smb_threads_destroy_mutex(void *plock, const char *location)
{
    (void)location;
    if (!plock)
        return;
    pthread_mutex_destroy(plock);
    free(plock);
}

static int smb_threads_lock_mutex(void *plock, int lock_type,
                                  const char *location)
{
    (void)location;
    /* No mutex: smb_thread_set_functions() failed before creating its own
     * (out of memory at start-up).  Samba would panic on an error here;
     * pipe_smb.c then serialises every call itself, so there is nothing to
     * exclude. */
    if (!plock)
        return 0;
    if (lock_type == SMB_THREADS_LOCK)
        return pthread_mutex_lock(plock);
    if (lock_type == SMB_THREADS_UNLOCK)
        return pthread_mutex_unlock(plock);
    return EINVAL;
}

static int smb_threads_create_tls(const char *keyname, void **ppkey,
                                  const char *location)
{
    pthread_key_t *k = malloc(sizeof(*k));
    void (*dtor)(void *) = NULL;
    int rc;

    (void)location;
    if (!k)
        return ENOMEM;
    if (keyname && strcmp(keyname, SMB_THREADS_STACK_KEY) == 0)
        dtor = smb_threads_stack_free;
    rc = pthread_key_create(k, dtor);
    if (rc != 0) {
        free(k);
        return rc;
    }
    *ppkey = k;
    return 0;
}

static void smb_threads_destroy_tls(void **ppkey, const char *location)
{
    (void)location;
    if (!ppkey || !*ppkey)
        return;
    pthread_key_delete(*(pthread_key_t *)*ppkey);
    free(*ppkey);
    *ppkey = NULL;
}

static int smb_threads_set_tls(void *pkey, const void *pval,
                               const char *location)
{
    (void)location;
    if (!pkey)
        return EINVAL;
    return pthread_setspecific(*(pthread_key_t *)pkey, pval);
}

/* Samba asks for the talloc stack before it has created the key (its first
 * talloc_stackframe() creates it once it finds no stack): no key, no value
 * (Samba bug 13505). */
static void *smb_threads_get_tls(void *pkey, const char *location)
{
    (void)location;
    if (!pkey)
        return NULL;
    return pthread_getspecific(*(pthread_key_t *)pkey);
}

static const struct smb_threads_samba_fns smb_threads_fns = {
    .create_mutex = smb_threads_create_mutex,
    .destroy_mutex = smb_threads_destroy_mutex,
    .lock_mutex = smb_threads_lock_mutex,
    .create_tls = smb_threads_create_tls,
    .destroy_tls = smb_threads_destroy_tls,
    .set_tls = smb_threads_set_tls,
    .get_tls = smb_threads_get_tls,
};

static pthread_once_t smb_threads_once = PTHREAD_ONCE_INIT;
static int smb_threads_installed;

static void smb_threads_do_install(void)
{
    smb_threads_set_fn set_fn;
    void *const *current;
    void *sym;

    /* Someone (a newer libsmbclient's smbc_thread_posix, another library)
     * installed hooks already: replacing them would orphan the mutexes and
     * keys made with theirs. */
    current = dlsym(RTLD_DEFAULT, "global_tfp");
    if (current && *current) {
        smb_threads_installed = 1;
        return;
    }
    /* dlsym returns void *; a function pointer is copied out of it, the one
     * conversion POSIX guarantees. */
    sym = dlsym(RTLD_DEFAULT, "smb_thread_set_functions");
    if (!sym)
        return;
    memcpy(&set_fn, &sym, sizeof(set_fn));
    sym = dlsym(RTLD_DEFAULT, "_talloc_free");
    if (sym)
        memcpy(&smb_threads_talloc_free, &sym, sizeof(smb_threads_talloc_free));
    /* Non-zero: it could not allocate its global locks (the hooks are in
     * place, the locks are not), so callers must serialise. */
    smb_threads_installed = set_fn(&smb_threads_fns) == 0;
}

int smb_threads_install(void)
{
    pthread_once(&smb_threads_once, smb_threads_do_install);
    return smb_threads_installed;
}
