/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mprapi.h - libmprapi: the Windows RRAS administration client API on Linux.
 *
 * Names, types and numeric codes follow Microsoft's mprapi.h so that code
 * written for Windows compiles unchanged.  The calls speak MS-RRASM (DIMSVC
 * over the SMB named pipe \PIPE\ROUTER) and MS-SCMR (\PIPE\svcctl) to real
 * Windows servers through Samba's DCE/RPC client library, which reads the
 * message-mode pipes Windows serves and negotiates SMB 2 to 3.1.1.
 *
 * Threading: the library runs one I/O thread of its own, started by the
 * first call that needs the network; all network work happens there.  The
 * blocking Windows calls hand a request to it and wait, so they may be made
 * from any number of threads at once, on the same handle or different ones.
 * Long-lived callers that do not want a thread per router use the
 * asynchronous calls (MprmonAsync*, at the end of this header) from their
 * own event loop.  The settings store (MprmonSetServerOptions) and the log
 * hook are protected by locks.
 *
 * Extensions for Linux callers carry the prefix Mprmon; everything else has
 * the Windows name and meaning.
 */
#ifndef MPRAPI_H
#define MPRAPI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Windows base types (as Wine and MinGW declare them for LP64) ---- */
typedef uint32_t DWORD;
typedef int32_t BOOL;
typedef uint8_t BYTE;
typedef BYTE *LPBYTE;
typedef DWORD *LPDWORD;
typedef void *LPVOID;
typedef void *HANDLE;
/* WCHAR is a UTF-16LE code unit, not wchar_t (which is 32-bit on Linux). */
typedef uint16_t WCHAR;
typedef WCHAR *LPWSTR;
typedef const WCHAR *LPCWSTR;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

/* An opaque handle to a router, from MprAdminServerConnect. */
typedef HANDLE MPR_SERVER_HANDLE;

/* ---- Return codes: values from winerror.h ---- */
#define NO_ERROR 0u
#define ERROR_FILE_NOT_FOUND 2u
/* Out of file descriptors (EMFILE/ENFILE) on this side, not the router's. */
#define ERROR_TOO_MANY_OPEN_FILES 4u
#define ERROR_ACCESS_DENIED 5u
#define ERROR_INVALID_HANDLE 6u
#define ERROR_NOT_ENOUGH_MEMORY 8u
#define ERROR_INVALID_DATA 13u
#define ERROR_NOT_SUPPORTED 50u
#define ERROR_INVALID_PARAMETER 87u
#define ERROR_INSUFFICIENT_BUFFER 122u
#define ERROR_INVALID_LEVEL 124u
#define ERROR_MORE_DATA 234u
#define ERROR_NO_MORE_ITEMS 259u
#define ERROR_SERVICE_DOES_NOT_EXIST 1060u
#define ERROR_SERVICE_NOT_ACTIVE 1062u
#define ERROR_LOGON_FAILURE 1326u
#define ERROR_TIMEOUT 1460u
#define RPC_S_INVALID_BINDING 1702u
#define RPC_S_UNKNOWN_IF 1717u
#define RPC_S_SERVER_UNAVAILABLE 1722u
#define RPC_S_CALL_FAILED 1726u
#define RPC_S_PROTOCOL_ERROR 1728u
#define RPC_S_PROCNUM_OUT_OF_RANGE 1745u
#define RPC_S_CALL_CANCELLED 1818u
#define RPC_X_BAD_STUB_DATA 1783u

/* An identifier of an asynchronous request (never 0). */
typedef uint64_t MPRMON_REQUEST_ID;

/* ---- MprAdminServerGetInfo levels (Microsoft's mprapi.h) ---- */
typedef struct _MPR_SERVER_0 {
    BOOL fLanOnlyMode;  /* TRUE: LAN routing only, no remote access */
    DWORD dwUpTime;     /* seconds the router has been running */
    DWORD dwTotalPorts; /* ports on the router */
    DWORD dwPortsInUse; /* ports in use */
} MPR_SERVER_0, *PMPR_SERVER_0;

typedef struct _MPR_SERVER_1 {
    DWORD dwNumPptpPorts;
    DWORD dwPptpPortFlags;
    DWORD dwNumL2tpPorts;
    DWORD dwL2tpPortFlags;
} MPR_SERVER_1, *PMPR_SERVER_1;

typedef struct _MPR_SERVER_2 {
    DWORD dwNumPptpPorts;
    DWORD dwPptpPortFlags;
    DWORD dwNumL2tpPorts;
    DWORD dwL2tpPortFlags;
    DWORD dwNumSstpPorts;
    DWORD dwSstpPortFlags;
} MPR_SERVER_2, *PMPR_SERVER_2;

/* ---- Interfaces, connections and ports (Microsoft's mprapi.h) ---- */

/* A connection handle meaning "every port" for MprAdminPortEnum. */
#define INVALID_HANDLE_VALUE ((HANDLE)(intptr_t)-1)

/* A handle to a router for the RAS calls: the same handle as
 * MPR_SERVER_HANDLE, as on Windows. */
typedef HANDLE RAS_SERVER_HANDLE;

/* dwPrefMaxLen: "as much as the server has", one buffer. */
#define MPRMON_PREF_MAX_LEN_ALL ((DWORD)-1)

#define MAX_INTERFACE_NAME_LEN 256
#define UNLEN 256
#define DNLEN 15
#define NETBIOS_NAME_LEN 16
#define IPADDRESSLEN 15
#define IPXADDRESSLEN 22
#define ATADDRESSLEN 32
#define MAX_PORT_NAME 16
#define MAX_MEDIA_NAME 16
#define MAX_DEVICE_NAME 128
#define MAX_DEVICETYPE_NAME 16

typedef enum _ROUTER_INTERFACE_TYPE {
    ROUTER_IF_TYPE_CLIENT = 0,      /* a remote access client */
    ROUTER_IF_TYPE_HOME_ROUTER = 1,
    ROUTER_IF_TYPE_FULL_ROUTER = 2, /* a demand-dial (site-to-site) peer */
    ROUTER_IF_TYPE_DEDICATED = 3,   /* a LAN or leased line */
    ROUTER_IF_TYPE_INTERNAL = 4,
    ROUTER_IF_TYPE_LOOPBACK = 5,
    ROUTER_IF_TYPE_TUNNEL1 = 6,
    ROUTER_IF_TYPE_DIALOUT = 7,
    ROUTER_IF_TYPE_MAX = 8
} ROUTER_INTERFACE_TYPE;

typedef enum _ROUTER_CONNECTION_STATE {
    ROUTER_IF_STATE_UNREACHABLE = 0,
    ROUTER_IF_STATE_DISCONNECTED = 1,
    ROUTER_IF_STATE_CONNECTING = 2,
    ROUTER_IF_STATE_CONNECTED = 3
} ROUTER_CONNECTION_STATE;

/* MPR_INTERFACE_0.fUnReachabilityReasons bits. */
#define MPR_INTERFACE_OUT_OF_RESOURCES 0x00000001u
#define MPR_INTERFACE_ADMIN_DISABLED 0x00000002u
#define MPR_INTERFACE_CONNECTION_FAILURE 0x00000004u
#define MPR_INTERFACE_SERVICE_PAUSED 0x00000008u
#define MPR_INTERFACE_DIALOUT_HOURS_RESTRICTION 0x00000010u
#define MPR_INTERFACE_NO_MEDIA_SENSE 0x00000020u
#define MPR_INTERFACE_NO_DEVICE 0x00000040u

typedef struct _MPR_INTERFACE_0 {
    WCHAR wszInterfaceName[MAX_INTERFACE_NAME_LEN + 1];
    HANDLE hInterface;
    BOOL fEnabled; /* FALSE: administratively disabled */
    ROUTER_INTERFACE_TYPE dwIfType;
    ROUTER_CONNECTION_STATE dwConnectionState;
    DWORD fUnReachabilityReasons; /* MPR_INTERFACE_* bits */
    DWORD dwLastError;            /* why the last connection attempt failed */
} MPR_INTERFACE_0, *PMPR_INTERFACE_0;

/* RAS_CONNECTION_0.dwConnectionFlags bits. */
#define RAS_FLAGS_PPP_CONNECTION 0x00000001u
#define RAS_FLAGS_MESSENGER_PRESENT 0x00000002u
#define RAS_FLAGS_QUARANTINE_PRESENT 0x00000008u
#define RAS_FLAGS_ARAP_CONNECTION 0x00000010u
#define RAS_FLAGS_IKEV2_CONNECTION 0x00000010u
#define RAS_FLAGS_DORMANT 0x00000020u

typedef struct _RAS_CONNECTION_0 {
    HANDLE hConnection;
    HANDLE hInterface;
    DWORD dwConnectDuration; /* seconds */
    ROUTER_INTERFACE_TYPE dwInterfaceType;
    DWORD dwConnectionFlags; /* RAS_FLAGS_* */
    WCHAR wszInterfaceName[MAX_INTERFACE_NAME_LEN + 1];
    WCHAR wszUserName[UNLEN + 1];
    WCHAR wszLogonDomain[DNLEN + 1];
    WCHAR wszRemoteComputer[NETBIOS_NAME_LEN + 1];
} RAS_CONNECTION_0, *PRAS_CONNECTION_0;

/* The PPP projections of a connection: dwError 0 when negotiated. */
typedef struct _PPP_NBFCP_INFO {
    DWORD dwError;
    WCHAR wszWksta[NETBIOS_NAME_LEN + 1];
} PPP_NBFCP_INFO;

typedef struct _PPP_IPCP_INFO {
    DWORD dwError;
    WCHAR wszAddress[IPADDRESSLEN + 1];       /* the server's end */
    WCHAR wszRemoteAddress[IPADDRESSLEN + 1]; /* the client's */
} PPP_IPCP_INFO;

typedef struct _PPP_IPXCP_INFO {
    DWORD dwError;
    WCHAR wszAddress[IPXADDRESSLEN + 1];
} PPP_IPXCP_INFO;

typedef struct _PPP_ATCP_INFO {
    DWORD dwError;
    WCHAR wszAddress[ATADDRESSLEN + 1];
} PPP_ATCP_INFO;

typedef struct _PPP_INFO {
    PPP_NBFCP_INFO nbf;
    PPP_IPCP_INFO ip;
    PPP_IPXCP_INFO ipx;
    PPP_ATCP_INFO at;
} PPP_INFO;

typedef struct _RAS_CONNECTION_1 {
    HANDLE hConnection;
    HANDLE hInterface;
    PPP_INFO PppInfo;
    DWORD dwBytesXmited;
    DWORD dwBytesRcved;
    DWORD dwFramesXmited;
    DWORD dwFramesRcved;
    DWORD dwCrcErr;
    DWORD dwTimeoutErr;
    DWORD dwAlignmentErr;
    DWORD dwHardwareOverrunErr;
    DWORD dwFramingErr;
    DWORD dwBufferOverrunErr;
    DWORD dwCompressionRatioIn;
    DWORD dwCompressionRatioOut;
} RAS_CONNECTION_1, *PRAS_CONNECTION_1;

typedef enum _RAS_PORT_CONDITION {
    RAS_PORT_NON_OPERATIONAL = 0,
    RAS_PORT_DISCONNECTED = 1,
    RAS_PORT_CALLING_BACK = 2,
    RAS_PORT_LISTENING = 3,
    RAS_PORT_AUTHENTICATING = 4,
    RAS_PORT_AUTHENTICATED = 5,
    RAS_PORT_INITIALIZING = 6
} RAS_PORT_CONDITION;

typedef struct _RAS_PORT_0 {
    HANDLE hPort;
    HANDLE hConnection; /* the connection on the port, or NULL */
    RAS_PORT_CONDITION dwPortCondition;
    DWORD dwTotalNumberOfCalls;
    DWORD dwConnectDuration; /* seconds */
    WCHAR wszPortName[MAX_PORT_NAME + 1];
    WCHAR wszMediaName[MAX_MEDIA_NAME + 1];
    WCHAR wszDeviceName[MAX_DEVICE_NAME + 1];
    WCHAR wszDeviceType[MAX_DEVICETYPE_NAME + 1]; /* "vpn", "modem", ... */
} RAS_PORT_0, *PRAS_PORT_0;

/* ---- The Windows calls ---- */

/*
 * MprAdminServerConnect - open an administrative connection to a router.
 *
 * lpwsServerName: NUL-terminated UTF-16 name of the server: "name",
 *   "\\\\name", a DNS name, an IPv4 or IPv6 literal.  NULL or "" means the
 *   local machine (loopback).
 * phMprServer: receives the handle; NULL gives RPC_S_INVALID_BINDING and no
 *   network I/O is done.
 *
 * The connection is an SMB session to the server's IPC$ share, the named pipe
 * \PIPE\ROUTER opened on it, and a DCE/RPC bind to the DIMSVC interface.  As on
 * Windows, the RRAS service status is NOT queried: use
 * MprAdminIsServiceRunning for that.
 *
 * Credentials, port and timeout come from the settings store: the entry for
 * this server name if MprmonSetServerOptions made one, else the default entry
 * (server NULL).  With no credentials configured the connect is anonymous.
 *
 * Returns:
 *   NO_ERROR                  connected; *phMprServer is valid.
 *   RPC_S_INVALID_BINDING     phMprServer is NULL.
 *   ERROR_INVALID_PARAMETER   the name is malformed (bad UTF-16, too long,
 *                             characters no host name has).
 *   ERROR_ACCESS_DENIED       the server refused the logon or the pipe
 *                             (wrong, missing or unprivileged credentials), or
 *                             the configured credentials file is unsafe.
 *   RPC_S_UNKNOWN_IF          the server does not run Routing and RAS: no
 *                             ROUTER pipe, or the DIMSVC bind was rejected.
 *   RPC_S_SERVER_UNAVAILABLE  nothing answered: name not resolved, connection
 *                             refused, unreachable, or the timeout expired.
 *   RPC_S_PROTOCOL_ERROR      the server answered with malformed DCE/RPC.
 *   ERROR_NOT_ENOUGH_MEMORY   allocation failed.
 *   ERROR_TOO_MANY_OPEN_FILES this process ran out of file descriptors.
 * On failure *phMprServer is set to NULL.
 */
DWORD MprAdminServerConnect(LPWSTR lpwsServerName,
                            MPR_SERVER_HANDLE *phMprServer);

/*
 * MprAdminServerDisconnect - close a handle and free what it holds.
 *
 * Safe with NULL, and safe with a handle that was already disconnected:
 * handles are looked up in a table and a stale one is ignored.  A handle must
 * not be disconnected while another thread is still using it in a call.
 */
void MprAdminServerDisconnect(MPR_SERVER_HANDLE hMprServer);

/*
 * MprmonServerDisconnectNoWait - MprAdminServerDisconnect for an event loop:
 * the handle is invalid when this returns, and its connection is closed
 * on the library's I/O thread afterwards, within a second, without the
 * caller waiting for the server.  Same rules for NULL and stale handles.
 */
void MprmonServerDisconnectNoWait(MPR_SERVER_HANDLE hMprServer);

/*
 * MprAdminIsServiceRunning - is the RemoteAccess service running?
 *
 * Asks the server's service control manager (MS-SCMR over \PIPE\svcctl).
 * TRUE only when the service is SERVICE_RUNNING; FALSE on any failure,
 * including access denied, as on Windows.  MprmonQueryServiceState says why.
 */
BOOL MprAdminIsServiceRunning(LPWSTR lpwsServerName);

/*
 * MprAdminServerGetInfo - RMprAdminServerGetInfo (MS-RRASM opnum 0).
 *
 * dwLevel 0, 1 or 2 fills an MPR_SERVER_0/1/2 in a buffer that the caller
 * frees with MprAdminBufferFree.  Returns NO_ERROR, ERROR_INVALID_HANDLE,
 * ERROR_INVALID_PARAMETER (lplpbBuffer NULL), ERROR_INVALID_LEVEL (other
 * levels, checked before any I/O), the server's own error code, or an RPC_S_*
 * code when the call failed on the wire.
 */
DWORD MprAdminServerGetInfo(MPR_SERVER_HANDLE hMprServer, DWORD dwLevel,
                            LPBYTE *lplpbBuffer);

/*
 * The enumerations: MprAdminInterfaceEnum (RRouterInterfaceEnum, MS-RRASM
 * opnum 20), MprAdminConnectionEnum (RRasAdminConnectionEnum, opnum 1),
 * MprAdminPortEnum (RRasAdminPortEnum, opnum 4).
 *
 * Each call reads one page: *lplpbBuffer receives an array of
 * *lpdwEntriesRead structures of the level's type (free it with
 * MprAdminBufferFree; NULL when no entries), *lpdwTotalEntries the number
 * the server had from the resume position.  dwPrefMaxLen bounds the page
 * in the server's bytes (MPRMON_PREF_MAX_LEN_ALL: everything at once, but
 * a reply larger than about 4 MiB fails on the wire, so prefer pages of
 * 64 KiB or so for large servers).  lpdwResumeHandle: 0 on the first
 * call, then passed back unchanged; the call returns ERROR_MORE_DATA
 * while pages remain (the page is valid then too), NO_ERROR with the last
 * one.  NULL: one page only.
 *
 * Levels: interfaces 0 (MPR_INTERFACE_0); connections 0 and 1
 * (RAS_CONNECTION_0/1); ports 0 (RAS_PORT_0).  Other levels give
 * ERROR_INVALID_LEVEL before any I/O.  Returns NO_ERROR, ERROR_MORE_DATA,
 * ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER (an out pointer NULL),
 * ERROR_INVALID_LEVEL, the server's own code, RPC_X_BAD_STUB_DATA when the
 * reply is malformed (a count that disagrees with the bytes, a string with
 * no terminator), ERROR_TIMEOUT, or an RPC_S_* code.  The strings are
 * NUL-terminated as they arrived.
 */
DWORD MprAdminInterfaceEnum(MPR_SERVER_HANDLE hMprServer, DWORD dwLevel,
                            LPBYTE *lplpbBuffer, DWORD dwPrefMaxLen,
                            LPDWORD lpdwEntriesRead, LPDWORD lpdwTotalEntries,
                            LPDWORD lpdwResumeHandle);

DWORD MprAdminConnectionEnum(RAS_SERVER_HANDLE hRasServer, DWORD dwLevel,
                             LPBYTE *lplpbBuffer, DWORD dwPrefMaxLen,
                             LPDWORD lpdwEntriesRead,
                             LPDWORD lpdwTotalEntries,
                             LPDWORD lpdwResumeHandle);

/* hRasConnection: the ports of that connection, or INVALID_HANDLE_VALUE
 * for every port of the server. */
DWORD MprAdminPortEnum(RAS_SERVER_HANDLE hRasServer, DWORD dwLevel,
                       HANDLE hRasConnection, LPBYTE *lplpbBuffer,
                       DWORD dwPrefMaxLen, LPDWORD lpdwEntriesRead,
                       LPDWORD lpdwTotalEntries, LPDWORD lpdwResumeHandle);

/*
 * MprAdminInterfaceGetInfo - RRouterInterfaceGetInfo (opnum 13): one
 * interface, by the hInterface an enumeration gave, at level 0 (an
 * MPR_INTERFACE_0 freed with MprAdminBufferFree).  Same codes as the
 * enumerations; an unknown handle gives the server's code (on Windows
 * ERROR_INVALID_HANDLE).
 */
DWORD MprAdminInterfaceGetInfo(MPR_SERVER_HANDLE hMprServer,
                               HANDLE hInterface, DWORD dwLevel,
                               LPBYTE *lplpbBuffer);

/* MprAdminBufferFree - free a buffer this library returned.  NULL is safe. */
DWORD MprAdminBufferFree(LPVOID pBuffer);

/*
 * MprAdminGetErrorString - Windows' text for an error code.
 *
 * *lplpwsErrorString receives a UTF-16 string freed with MprAdminBufferFree.
 * Returns NO_ERROR, ERROR_INVALID_PARAMETER (NULL out pointer) or
 * ERROR_NOT_ENOUGH_MEMORY.  Unknown codes get a generic text with the number.
 */
DWORD MprAdminGetErrorString(DWORD dwError, LPWSTR *lplpwsErrorString);

/* ---- Extensions for Linux callers ---- */

/*
 * MprmonUnreachabilityText - MPR_INTERFACE_0.fUnReachabilityReasons in
 * words, comma-separated: out-of-resources, admin-disabled,
 * connection-failure, service-paused, dialout-hours, no-media-sense,
 * no-device, then 0x... for bits without a name; "none" for 0.  Written
 * into pszText (cut to cbText, always terminated); returns the length
 * written.
 */
size_t MprmonUnreachabilityText(DWORD dwReasons, char *pszText, size_t cbText);

/* Which enumeration MprmonEnumAll reads. */
typedef enum _MPRMON_LIST {
    MPRMON_LIST_INTERFACES = 1, /* MprAdminInterfaceEnum */
    MPRMON_LIST_CONNECTIONS = 2, /* MprAdminConnectionEnum */
    MPRMON_LIST_PORTS = 3        /* MprAdminPortEnum, every port */
} MPRMON_LIST;

/*
 * MprmonEnumAll - every page of an enumeration, in one array.
 *
 * Calls the enumeration with dwPageBytes as dwPrefMaxLen and the resume
 * handle until the server says NO_ERROR, keeping at most dwMaxEntries
 * entries.  *lplpbBuffer (MprAdminBufferFree) holds *lpdwEntries
 * structures of the level's type.  Returns NO_ERROR with everything,
 * ERROR_MORE_DATA when dwMaxEntries was reached (the buffer is valid),
 * RPC_X_BAD_STUB_DATA when the server's resume handle does not advance
 * (no entries or the same handle with ERROR_MORE_DATA: a loop that would
 * never end), or the first failing page's code (nothing returned then).
 */
DWORD MprmonEnumAll(MPR_SERVER_HANDLE hMprServer, MPRMON_LIST list,
                    DWORD dwLevel, DWORD dwPageBytes, DWORD dwMaxEntries,
                    LPBYTE *lplpbBuffer, LPDWORD lpdwEntries);

/*
 * SMB encryption (SMB3) wanted for the session.  IF_AVAILABLE (and
 * DEFAULT) asks for an encrypted SMB 3 session and accepts a plain one from
 * a server that cannot encrypt (SMB 2); OFF never asks; REQUIRED refuses a
 * session that is not encrypted with ERROR_ACCESS_DENIED (detail: "SMB3
 * encryption is required but the server did not encrypt the session"):
 * the session set-up itself fails, before any RPC byte is sent.  Signing follows what the server demands.
 */
typedef enum _MPRMON_ENCRYPTION {
    MPRMON_ENCRYPTION_DEFAULT = 0, /* = IF_AVAILABLE */
    MPRMON_ENCRYPTION_OFF = 1,
    MPRMON_ENCRYPTION_IF_AVAILABLE = 2,
    MPRMON_ENCRYPTION_REQUIRED = 3
} MPRMON_ENCRYPTION;

/*
 * How to reach one server.  Zero-initialise, then set what you need; zero
 * fields take the defaults.  Strings are UTF-8 and are copied by the calls
 * that take this struct.
 *
 * Credentials: either pszCredentialsFile (smbclient's authentication-file
 * format: lines "username = ", "password = ", "domain = "; the file must not
 * be readable by group or others, else ERROR_ACCESS_DENIED), or pszUser /
 * pszPassword / pszDomain directly.  A file wins when both are given.  A user
 * may be written "DOMAIN\\user" or "user@domain".  No credentials: anonymous.
 * A file whose one line is "ccache = FILE:/path" (a Kerberos credentials
 * cache, private like the file itself) means Kerberos: the server must then
 * be named by its host name (an address: ERROR_INVALID_PARAMETER), the
 * ticket is never delegated, and the KDC comes from krb5.conf.
 */
typedef struct _MPRMON_CONNECT_OPTIONS {
    DWORD dwPort;                   /* SMB TCP port; 0 = 445 */
    DWORD dwTimeoutMs;              /* per-operation timeout; 0 = 10000 */
    MPRMON_ENCRYPTION encryption;   /* SMB3 encryption; 0 = if available */
    const char *pszCredentialsFile; /* smbclient auth file, or NULL */
    const char *pszUser;            /* or NULL */
    const char *pszPassword;        /* or NULL; wiped from our copies */
    const char *pszDomain;          /* or NULL */
    /* DCE/RPC-level authentication (NTLM through SPNEGO, auth type 9, as
     * MS-RRASM asks, over the same credentials as the SMB session):
     * MPRMON_RPC_AUTHN_LEVEL_NONE (0, the default: the SMB session carries
     * the identity and, with SMB3 encryption, confidentiality),
     * _PKT_INTEGRITY (5: every PDU signed), _PKT_PRIVACY (6: also sealed).
     * _CONNECT (2) gives ERROR_NOT_SUPPORTED: Samba's client does not
     * offer it on named pipes.  Other values: ERROR_INVALID_PARAMETER.  A
     * response that fails its check gives RPC_S_PROTOCOL_ERROR or
     * ERROR_ACCESS_DENIED. */
    DWORD dwRpcAuthLevel;
} MPRMON_CONNECT_OPTIONS;

/* Values of MPRMON_CONNECT_OPTIONS.dwRpcAuthLevel (Windows'
 * RPC_C_AUTHN_LEVEL_* numbers). */
#define MPRMON_RPC_AUTHN_LEVEL_NONE 0u
#define MPRMON_RPC_AUTHN_LEVEL_CONNECT 2u
#define MPRMON_RPC_AUTHN_LEVEL_PKT_INTEGRITY 5u
#define MPRMON_RPC_AUTHN_LEVEL_PKT_PRIVACY 6u

/*
 * MprmonSetServerOptions - store how to reach a server by name.
 *
 * pszServer is the name as later passed to the Windows calls (compared after
 * stripping leading backslashes, case-insensitively); NULL sets the default
 * used for every server without an entry of its own.  pOptions NULL removes
 * the entry.  A credentials file is read and checked now, so a bad file is
 * reported here: ERROR_FILE_NOT_FOUND, ERROR_ACCESS_DENIED (group/other
 * readable), ERROR_INVALID_DATA (malformed).  Returns NO_ERROR on success.
 */
DWORD MprmonSetServerOptions(const char *pszServer,
                             const MPRMON_CONNECT_OPTIONS *pOptions);

/* MprmonResetServerOptions - forget every stored entry (wipes passwords). */
void MprmonResetServerOptions(void);

/*
 * MprmonServerConnectEx - MprAdminServerConnect with explicit options
 * (NULL pOptions = the settings store, as MprAdminServerConnect).  Same codes.
 */
DWORD MprmonServerConnectEx(LPWSTR lpwsServerName,
                            const MPRMON_CONNECT_OPTIONS *pOptions,
                            MPR_SERVER_HANDLE *phMprServer);

/* Why the RemoteAccess service is or is not running. */
typedef enum _MPRMON_SERVICE_STATE {
    MPRMON_SERVICE_RUNNING = 1,
    MPRMON_SERVICE_STOPPED = 2,       /* installed, not running (or pending) */
    MPRMON_SERVICE_NOT_INSTALLED = 3, /* ERROR_SERVICE_DOES_NOT_EXIST */
    MPRMON_SERVICE_ACCESS_DENIED = 4, /* logon or SCM access refused */
    MPRMON_SERVICE_UNREACHABLE = 5,   /* server did not answer */
    MPRMON_SERVICE_UNKNOWN = 6        /* protocol or other failure */
} MPRMON_SERVICE_STATE;

/*
 * MprmonQueryServiceState - the richer MprAdminIsServiceRunning.
 *
 * pState receives the classification; pdwCurrentState (optional) the
 * SERVICE_* value the SCM reported (0 when it did not answer).  Returns
 * NO_ERROR when the SCM answered about the service (running or not), else the
 * Windows code of the failure (ERROR_ACCESS_DENIED, ERROR_SERVICE_DOES_NOT_EXIST,
 * RPC_S_SERVER_UNAVAILABLE, ...).  pOptions NULL = the settings store.
 */
DWORD MprmonQueryServiceState(LPWSTR lpwsServerName,
                              const MPRMON_CONNECT_OPTIONS *pOptions,
                              MPRMON_SERVICE_STATE *pState,
                              DWORD *pdwCurrentState);

/* Symbolic name of a code, e.g. "RPC_S_UNKNOWN_IF"; "UNKNOWN" if not known.
 * The string is static. */
const char *MprmonErrorName(DWORD dwError);

/* Windows' text for a code as static UTF-8 (MprAdminGetErrorString's text). */
const char *MprmonErrorText(DWORD dwError);

/*
 * MprmonGetLastErrorDetail - what went wrong in this thread's last failed
 * call, as UTF-8 text for people (e.g. "credentials file /etc/x.auth is
 * readable by group or others (mode 0644)"; "10.0.0.1:445 \\PIPE\\ROUTER:
 * no answer within 10000 ms (refused, unreachable or silent)").  Never
 * contains a password.  "" when there is nothing to add to the code.  The
 * string is thread-local and valid until the next call of this library in
 * the same thread.
 */
const char *MprmonGetLastErrorDetail(void);

/*
 * MprmonCheckServerName - would the Windows calls take this server name?
 *
 * pszServer is UTF-8, as a configuration file holds it: a DNS or NetBIOS
 * name, a dotted-decimal IPv4 address, an IPv6 address (brackets optional),
 * with at most two leading backslashes.  Returns NO_ERROR, or
 * ERROR_INVALID_PARAMETER with a static English reason in *ppszReason
 * (optional), e.g. for "host.123" or "0x7f000001", which resolvers would
 * read as numbers.  No I/O: the name is not looked up.
 */
DWORD MprmonCheckServerName(const char *pszServer, const char **ppszReason);

/*
 * MprmonCheckCredentialsFile - read and check a credentials file by the
 * rules MprmonSetServerOptions applies (owner, mode, format, and the mode of
 * a credentials cache it names), keeping nothing.  Returns NO_ERROR,
 * ERROR_FILE_NOT_FOUND, ERROR_ACCESS_DENIED, ERROR_INVALID_DATA or
 * ERROR_INVALID_PARAMETER, with "PATH: reason" (never the file's secrets)
 * in pszReason (cbReason bytes, optional).
 */
DWORD MprmonCheckCredentialsFile(const char *pszPath, char *pszReason,
                                 size_t cbReason);

/* UTF-8 <-> UTF-16 for Linux callers.  Results are freed with
 * MprAdminBufferFree; NULL on invalid input or no memory. */
LPWSTR MprmonUtf8ToWide(const char *pszUtf8);
char *MprmonWideToUtf8(LPCWSTR lpwsWide);

/* ---- Log lines ---- */

#define MPRMON_LOG_ERROR 1u
#define MPRMON_LOG_WARNING 2u
#define MPRMON_LOG_INFO 3u
#define MPRMON_LOG_DEBUG 4u

/* Receives one line (no newline) at an MPRMON_LOG_* level; never a
 * password.  Called from the library's I/O thread or a caller's thread,
 * with a lock held: keep it short and do not call this library from it. */
typedef void (*MPRMON_LOG_FUNCTION)(DWORD dwLevel, const char *pszLine,
                                    void *pContext);

/* MprmonSetLogFunction - where the library's and Samba's log lines go.
 * The library never writes to stdout or stderr: with no function (the
 * default, or NULL) lines are dropped. */
void MprmonSetLogFunction(MPRMON_LOG_FUNCTION pfnLog, void *pContext);

/* ---- Asynchronous calls ----
 *
 * For callers with an event loop of their own (a daemon watching many
 * routers), on the model of c-ares and libcurl's multi interface: the
 * caller's loop stays the caller's.
 *
 *   MPRMON_ASYNC *q;  MprmonAsyncCreate(&q);
 *   MprmonAsyncServerConnect(q, name, &opts, 2000, my_router, &id);
 *   poll MprmonAsyncGetFd(q) for POLLIN with the rest of your loop; when
 *   it is readable:
 *   while (MprmonAsyncNextCompletion(q, &c)) { ... c.pCookie, c.dwError ... }
 *
 * A queue (MPRMON_ASYNC) collects the completions of the requests started
 * on it.  Requests run concurrently on the library's I/O thread, each
 * within its own deadline, measured from the start call: dwDeadlineMs, or
 * with 0 the timeout of the options (or of the settings store), 10000 ms
 * by default.  A request that misses its deadline completes with
 * RPC_S_SERVER_UNAVAILABLE if the connection was not yet up (connect,
 * service state), else ERROR_TIMEOUT, within a few milliseconds of it.
 * The completion codes are those of the blocking call of the same name.
 *
 * A queue may be used from several threads; completions come out in the
 * order the requests finished. */

typedef struct _MPRMON_ASYNC MPRMON_ASYNC;

typedef enum _MPRMON_REQUEST_KIND {
    MPRMON_REQUEST_SERVER_CONNECT = 1,   /* MprAdminServerConnect */
    MPRMON_REQUEST_SERVER_GET_INFO = 2,  /* MprAdminServerGetInfo */
    MPRMON_REQUEST_SERVICE_STATE = 3,    /* MprmonQueryServiceState */
    MPRMON_REQUEST_ENUM_ALL = 4          /* MprmonEnumAll */
} MPRMON_REQUEST_KIND;

/* One finished request, filled in by MprmonAsyncNextCompletion. */
typedef struct _MPRMON_COMPLETION {
    MPRMON_REQUEST_ID id;         /* as returned by the start call */
    MPRMON_REQUEST_KIND kind;
    void *pCookie;                /* as given to the start call */
    DWORD dwError;                /* NO_ERROR or a Windows code */
    DWORD dwElapsedMs;            /* from the start call to the finish */
    char szDetail[512];           /* MprmonGetLastErrorDetail's text */
    /* SERVER_CONNECT, NO_ERROR: a new handle, the caller's to
     * MprAdminServerDisconnect. */
    MPR_SERVER_HANDLE hMprServer;
    /* SERVER_GET_INFO, NO_ERROR: an MPR_SERVER_0/1/2, the caller's to
     * MprAdminBufferFree. */
    LPBYTE lpbBuffer;
    /* SERVICE_STATE: as MprmonQueryServiceState's pState and
     * pdwCurrentState (set whatever dwError is). */
    MPRMON_SERVICE_STATE serviceState;
    DWORD dwCurrentState;
    /* ENUM_ALL, NO_ERROR or ERROR_MORE_DATA: lpbBuffer holds dwEntries
     * structures of the list's level (the caller's to MprAdminBufferFree). */
    DWORD dwEntries;
} MPRMON_COMPLETION;

/* MprmonAsyncCreate - a new, empty queue.  NO_ERROR,
 * ERROR_INVALID_PARAMETER (NULL), ERROR_NOT_ENOUGH_MEMORY or
 * ERROR_TOO_MANY_OPEN_FILES. */
DWORD MprmonAsyncCreate(MPRMON_ASYNC **ppAsync);

/* MprmonAsyncGetFd - a descriptor (an eventfd) that is readable while
 * completions wait in the queue.  Poll it; do not read or close it. */
int MprmonAsyncGetFd(const MPRMON_ASYNC *pAsync);

/* MprmonAsyncServerConnect - start MprAdminServerConnect (pOptions NULL:
 * the settings store).  *pId receives the request's id.  Arguments are
 * checked now: a bad name gives ERROR_INVALID_PARAMETER at once and no
 * request; everything from the network comes as a completion. */
DWORD MprmonAsyncServerConnect(MPRMON_ASYNC *pAsync, LPCWSTR lpwsServerName,
                               const MPRMON_CONNECT_OPTIONS *pOptions,
                               DWORD dwDeadlineMs, void *pCookie,
                               MPRMON_REQUEST_ID *pId);

/* MprmonAsyncServerGetInfo - start MprAdminServerGetInfo on a handle
 * (ERROR_INVALID_HANDLE, ERROR_INVALID_LEVEL at once).  dwDeadlineMs 0:
 * the timeout the handle was connected with.  Several calls may be in
 * flight on one handle. */
DWORD MprmonAsyncServerGetInfo(MPRMON_ASYNC *pAsync, MPR_SERVER_HANDLE hMprServer,
                               DWORD dwLevel, DWORD dwDeadlineMs,
                               void *pCookie, MPRMON_REQUEST_ID *pId);

/* MprmonAsyncEnumAll - start MprmonEnumAll on a handle (its arguments
 * are checked at once: ERROR_INVALID_PARAMETER, ERROR_INVALID_LEVEL,
 * ERROR_INVALID_HANDLE).  dwDeadlineMs covers every page; 0: the
 * handle's timeout.  The completion's dwError is MprmonEnumAll's code. */
DWORD MprmonAsyncEnumAll(MPRMON_ASYNC *pAsync, MPR_SERVER_HANDLE hMprServer,
                         MPRMON_LIST list, DWORD dwLevel, DWORD dwPageBytes,
                         DWORD dwMaxEntries, DWORD dwDeadlineMs,
                         void *pCookie, MPRMON_REQUEST_ID *pId);

/* MprmonAsyncQueryServiceState - start MprmonQueryServiceState. */
DWORD MprmonAsyncQueryServiceState(MPRMON_ASYNC *pAsync,
                                   LPCWSTR lpwsServerName,
                                   const MPRMON_CONNECT_OPTIONS *pOptions,
                                   DWORD dwDeadlineMs, void *pCookie,
                                   MPRMON_REQUEST_ID *pId);

/* MprmonAsyncNextCompletion - take the oldest completion: TRUE and
 * *pCompletion filled, or FALSE when none is waiting (the descriptor is
 * then no longer readable).  Call it until FALSE when the descriptor
 * polls readable. */
BOOL MprmonAsyncNextCompletion(MPRMON_ASYNC *pAsync,
                               MPRMON_COMPLETION *pCompletion);

/* MprmonAsyncCancel - forget a request: after this returns TRUE no
 * completion with that id will be delivered, and whatever the request
 * made (a connection, a buffer) is released.  FALSE when the id is not
 * pending on this queue (already taken, never started). */
BOOL MprmonAsyncCancel(MPRMON_ASYNC *pAsync, MPRMON_REQUEST_ID id);

/* MprmonAsyncPending - requests started on the queue and not yet taken
 * by MprmonAsyncNextCompletion (in flight or waiting). */
DWORD MprmonAsyncPending(const MPRMON_ASYNC *pAsync);

/* MprmonAsyncDestroy - cancel every pending request and free the queue.
 * NULL is safe. */
void MprmonAsyncDestroy(MPRMON_ASYNC *pAsync);

#ifdef __cplusplus
}
#endif

#endif /* MPRAPI_H */
