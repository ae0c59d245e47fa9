/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scmr_priv.h - the MS-SCMR calls MprAdminIsServiceRunning makes. */
#ifndef MPRMON_SCMR_PRIV_H
#define MPRMON_SCMR_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include "mprapi.h"

#define SCMR_OPNUM_CLOSE_SERVICE_HANDLE 0
#define SCMR_OPNUM_QUERY_SERVICE_STATUS 6
#define SCMR_OPNUM_OPEN_SC_MANAGER_W 15
#define SCMR_OPNUM_OPEN_SERVICE_W 16

#define SERVICE_STOPPED 1u
#define SERVICE_START_PENDING 2u
#define SERVICE_STOP_PENDING 3u
#define SERVICE_RUNNING 4u
#define SERVICE_CONTINUE_PENDING 5u
#define SERVICE_PAUSE_PENDING 6u
#define SERVICE_PAUSED 7u

#define SC_MANAGER_CONNECT 0x0001u
#define SERVICE_QUERY_STATUS 0x0004u

/* A 20-byte context handle (RPC_SC_HANDLE). */
struct scmr_handle {
    uint8_t bytes[20];
};

struct scmr_service_status {
    DWORD service_type, current_state, controls_accepted, win32_exit_code,
        service_exit_code, check_point, wait_hint;
};

/* Encoders write the request stub into buf (cap bytes) and set *len.
 * Decoders parse the response stub strictly (RPC_X_BAD_STUB_DATA when
 * malformed) and return the call's own return value in *status. */
DWORD scmr_encode_open_sc_manager(const char *machine, DWORD access,
                                  uint8_t *buf, size_t cap, size_t *len);
DWORD scmr_decode_open_sc_manager(const uint8_t *stub, size_t len,
                                  struct scmr_handle *h, DWORD *status);
DWORD scmr_encode_open_service(const struct scmr_handle *scm,
                               const char *service, DWORD access, uint8_t *buf,
                               size_t cap, size_t *len);
DWORD scmr_decode_open_service(const uint8_t *stub, size_t len,
                               struct scmr_handle *h, DWORD *status);
DWORD scmr_encode_query_service_status(const struct scmr_handle *svc,
                                       uint8_t *buf, size_t cap, size_t *len);
DWORD scmr_decode_query_service_status(const uint8_t *stub, size_t len,
                                       struct scmr_service_status *st,
                                       DWORD *status);
DWORD scmr_encode_close_service_handle(const struct scmr_handle *h,
                                       uint8_t *buf, size_t cap, size_t *len);
DWORD scmr_decode_close_service_handle(const uint8_t *stub, size_t len,
                                       DWORD *status);

#endif
