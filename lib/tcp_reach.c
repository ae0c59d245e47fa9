/* tcp_reach.c - does anything accept a TCP connection at host:port?  (see
 * tcp_reach_priv.h) */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tcp_reach_priv.h"

static long long tcp_reach_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1: connected, 0: refused or no answer before deadline_ms, -1: no
 * descriptor for the socket (our limit, not the server's). */
static int tcp_reach_one(const struct addrinfo *ai, long long deadline_ms)
{
    struct pollfd pfd;
    int fd, err = 0, rc;
    socklen_t len = sizeof(err);

    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                ai->ai_protocol);
    if (fd < 0)
        return (errno == EMFILE || errno == ENFILE) ? -1 : 0;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
        close(fd);
        return 1;
    }
    if (errno != EINPROGRESS) {
        close(fd);
        return 0;
    }
    pfd.fd = fd;
    pfd.events = POLLOUT;
    for (;;) {
        long long left = deadline_ms - tcp_reach_now_ms();
        if (left <= 0) {
            close(fd);
            return 0;
        }
        rc = poll(&pfd, 1, left > 60000 ? 60000 : (int)left);
        if (rc > 0)
            break;
        if (rc < 0 && errno != EINTR) {
            close(fd);
            return 0;
        }
    }
    rc = getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
    close(fd);
    return rc;
}

DWORD tcp_reach_check(const char *host, unsigned port, unsigned timeout_ms)
{
    struct addrinfo hints, *res = NULL;
    char name[256], service[16];
    size_t n = strlen(host);
    long long deadline = tcp_reach_now_ms() + timeout_ms;
    DWORD rc = RPC_S_SERVER_UNAVAILABLE;

    if (host[0] == '[' && n >= 2 && host[n - 1] == ']') {
        host++;
        n -= 2;
    }
    if (n == 0 || n >= sizeof(name))
        return NO_ERROR; /* not ours to judge */
    memcpy(name, host, n);
    name[n] = '\0';
    snprintf(service, sizeof(service), "%u", port);
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    if (getaddrinfo(name, service, &hints, &res) != 0 || res == NULL)
        return NO_ERROR;
    for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
        int reached = tcp_reach_one(ai, deadline);
        if (reached > 0) {
            rc = NO_ERROR;
            break;
        }
        if (reached < 0)
            rc = ERROR_TOO_MANY_OPEN_FILES;
    }
    freeaddrinfo(res);
    return rc;
}

#define TCP_REACH_SUSPECTS 4096u /* 32 KiB */

static uint64_t tcp_reach_suspects[TCP_REACH_SUSPECTS]; /* 0 = empty */
static pthread_mutex_t tcp_reach_lock = PTHREAD_MUTEX_INITIALIZER;

/* FNV-1a over host and port; never 0, which marks an empty slot. */
static uint64_t tcp_reach_key(const char *host, unsigned port)
{
    uint64_t h = 14695981039346656037u;

    for (const unsigned char *c = (const unsigned char *)host; *c; c++)
        h = (h ^ *c) * 1099511628211u;
    for (int i = 0; i < 2; i++)
        h = (h ^ ((port >> (8 * i)) & 0xffu)) * 1099511628211u;
    return h ? h : 1;
}

void tcp_reach_note(const char *host, unsigned port, int answered)
{
    uint64_t key = tcp_reach_key(host, port);
    uint64_t *slot = &tcp_reach_suspects[key % TCP_REACH_SUSPECTS];

    pthread_mutex_lock(&tcp_reach_lock);
    if (!answered)
        *slot = key;
    else if (*slot == key)
        *slot = 0;
    pthread_mutex_unlock(&tcp_reach_lock);
}

int tcp_reach_suspect(const char *host, unsigned port)
{
    uint64_t key = tcp_reach_key(host, port);
    int hit;

    pthread_mutex_lock(&tcp_reach_lock);
    hit = tcp_reach_suspects[key % TCP_REACH_SUSPECTS] == key;
    pthread_mutex_unlock(&tcp_reach_lock);
    return hit;
}
