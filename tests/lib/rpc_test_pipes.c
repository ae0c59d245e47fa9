/* rpc_test_pipes.c - test-only pipes; see rpc_test_pipes.h. */
#include "rpc_test_pipes.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

struct tcp_pipe {
    struct mpr_pipe base;
    int fd;
};

static DWORD tcp_write_all(struct mpr_pipe *p, const uint8_t *buf, size_t len)
{
    struct tcp_pipe *t = (struct tcp_pipe *)p;

    while (len) {
        ssize_t n = send(t->fd, buf, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return RPC_S_SERVER_UNAVAILABLE;
        buf += n;
        len -= (size_t)n;
    }
    return NO_ERROR;
}

static DWORD tcp_read_exact(struct mpr_pipe *p, uint8_t *buf, size_t len)
{
    struct tcp_pipe *t = (struct tcp_pipe *)p;

    while (len) {
        ssize_t n = recv(t->fd, buf, len, 0);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return ERROR_TIMEOUT;
        if (n <= 0)
            return RPC_S_SERVER_UNAVAILABLE;
        buf += n;
        len -= (size_t)n;
    }
    return NO_ERROR;
}

static void tcp_close(struct mpr_pipe *p)
{
    struct tcp_pipe *t = (struct tcp_pipe *)p;

    close(t->fd);
    free(t);
}

static const struct mpr_pipe_ops tcp_ops = {tcp_write_all, tcp_read_exact,
                                            tcp_close};

DWORD test_tcp_pipe_open(unsigned port, unsigned timeout_ms,
                         struct mpr_pipe **out)
{
    struct sockaddr_in sa;
    struct timeval tv;
    struct tcp_pipe *t;

    t = calloc(1, sizeof(*t));
    if (!t)
        return ERROR_NOT_ENOUGH_MEMORY;
    t->base.ops = &tcp_ops;
    t->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (t->fd < 0) {
        free(t);
        return RPC_S_SERVER_UNAVAILABLE;
    }
    tv.tv_sec = timeout_ms / 1000;
    tv.tv_usec = (timeout_ms % 1000) * 1000;
    setsockopt(t->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(t->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        tcp_close(&t->base);
        return RPC_S_SERVER_UNAVAILABLE;
    }
    *out = &t->base;
    return NO_ERROR;
}

static DWORD script_write_all(struct mpr_pipe *p, const uint8_t *buf,
                              size_t len)
{
    struct script_pipe *s = (struct script_pipe *)p;

    if (s->out_len + len > s->out_cap) {
        size_t cap = (s->out_len + len) * 2;
        uint8_t *n = realloc(s->out, cap);

        if (!n)
            return ERROR_NOT_ENOUGH_MEMORY;
        s->out = n;
        s->out_cap = cap;
    }
    memcpy(s->out + s->out_len, buf, len);
    s->out_len += len;
    return NO_ERROR;
}

static DWORD script_read_exact(struct mpr_pipe *p, uint8_t *buf, size_t len)
{
    struct script_pipe *s = (struct script_pipe *)p;

    while (len) {
        if (s->in_off < s->in_len) {
            *buf++ = s->in[s->in_off++];
        } else if (s->loop_len) {
            *buf++ = s->loop[s->loop_off++ % s->loop_len];
        } else {
            return RPC_S_SERVER_UNAVAILABLE;
        }
        len--;
    }
    return NO_ERROR;
}

static void script_close(struct mpr_pipe *p)
{
    ((struct script_pipe *)p)->close_count++;
}

static const struct mpr_pipe_ops script_ops = {script_write_all,
                                               script_read_exact, script_close};

void script_pipe_init(struct script_pipe *p, const uint8_t *in, size_t in_len)
{
    memset(p, 0, sizeof(*p));
    p->base.ops = &script_ops;
    p->in = in;
    p->in_len = in_len;
}

void script_pipe_clear(struct script_pipe *p)
{
    free(p->out);
    p->out = NULL;
    p->out_len = p->out_cap = 0;
}
