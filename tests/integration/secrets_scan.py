#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Look for passwords in files: the test's leak detector.

The passwords are read from smbclient-format auth files (--auth, repeatable),
so they never travel in this process's argv or environment.  Each password
is looked for as UTF-8 and UTF-16LE bytes, and as the hex spellings SNMP
tools print for an OCTET STRING (-Ox: "50 77 2D") and JSON or logs might
use ("50772d").

  secrets_scan.py --auth A [--auth B] PATH...
      prints "LEAK PATH: FORM of PASSWORD#N at OFFSET" per hit; exit 1 if any
  secrets_scan.py --auth A --core CORE --maps MAPS [--srcdir DIR]
      a core dump (gcore) and the process's /proc/PID/maps: prints each
      copy found and whose memory it is in: a talloc chunk named by a
      Samba library (its client's own memory, which we cannot wipe;
      docs/security.md), live or freed (by Samba, or by our talloc_free
      of the connection that owns it: --srcdir shows the call), or one of
      the shapes our code gives a password
      (the auth file's text, a malloc'd string or UTF-16 buffer of
      exactly its size): exit 1 if any is ours.  Samba also leaves the
      odd copy in scratch memory without a talloc header of its own (seen
      next to its NTLMSSP data); those are listed and not counted.

A path that cannot be read is reported and counts as a failure: a check
that silently read nothing would pass whatever leaked.
"""
import argparse
import struct
import sys


def passwords(auth_files):
    found = []
    for path in auth_files:
        with open(path, "rb") as f:
            for line in f.read().splitlines():
                key, sep, value = line.partition(b"=")
                if sep and key.strip().lower() == b"password":
                    value = value.lstrip(b" \t")
                    if value:
                        found.append(value)
    return found


def forms(pw):
    text = pw.decode("utf-8")
    u16 = text.encode("utf-16-le")
    return [
        ("utf-8", pw),
        ("utf-16le", u16),
        ("hex-spaced", " ".join("%02X" % b for b in pw).encode()),
        ("hex-spaced-utf16le", " ".join("%02X" % b for b in u16).encode()),
        ("hex", pw.hex().encode()),
        ("HEX", pw.hex().upper().encode()),
    ]


def hits(data, needle):
    pos = data.find(needle)
    while pos >= 0:
        yield pos
        pos = data.find(needle, pos + 1)


def core_loads(core):
    """(file offset, vaddr, size) of each PT_LOAD segment of an ELF64 core."""
    if core[:4] != b"\x7fELF" or core[4] != 2:
        raise ValueError("not an ELF64 core")
    phoff = struct.unpack_from("<Q", core, 0x20)[0]
    phentsize, phnum = struct.unpack_from("<HH", core, 0x36)
    loads = []
    for i in range(phnum):
        typ, _, off, vaddr, _, filesz, _, _ = struct.unpack_from(
            "<IIQQQQQQ", core, phoff + i * phentsize)
        if typ == 1:
            loads.append((off, vaddr, filesz))
    return loads


def read_maps(path):
    maps = []
    with open(path) as f:
        for line in f:
            parts = line.split(None, 5)
            lo, hi = (int(x, 16) for x in parts[0].split("-"))
            maps.append((lo, hi, parts[5].strip() if len(parts) > 5 else "",
                         int(parts[2], 16)))
    return maps


def mapping_of(maps, addr):
    for lo, hi, name, _ in maps:
        if lo <= addr < hi:
            return name
    return None


def mapped_string(maps, addr, limit=256):
    """The C string at addr in a file mapping, read from the file (gcore
    leaves read-only file mappings out of the core)."""
    for lo, hi, name, offset in maps:
        if lo <= addr < hi and name.startswith("/"):
            try:
                with open(name, "rb") as f:
                    f.seek(offset + addr - lo)
                    return f.read(limit).split(b"\0", 1)[0].decode(
                        "ascii", "replace")
            except OSError:
                return None
    return None


# talloc 2.x (x86_64): the chunk header ends with name, size, limit, pool
# and padding to 16 bytes (TC_HDR_SIZE 96), so the data is preceded by
# name at -40 and size at -32.  The padding (-8) is never written: it
# keeps whatever the memory held before, such as the size field of a
# malloc chunk that began there, so the malloc'd-string shape (below) is
# only looked for once the talloc header has been ruled out.
TALLOC_NAME_AT, TALLOC_SIZE_AT = 40, 32
SAMBA_LIBS = ("samba", "talloc", "smbclient")
OUR_LIB = "libmprapi"


def freed_by_our_talloc_free(maps, name_ptr, srcdir):
    """talloc_free names a chunk it frees, and every child it frees with
    it, after the call's __location__ ("../lib/samba_rpc.c:779").  Our
    library frees Samba's objects that way (a connection, with Samba's
    cli_credentials and its password copy under it), so a freed Samba
    chunk can carry a name of ours.  Only a name that is a location
    whose source line is a talloc_free call counts: a talloc_size or
    talloc_memdup of ours is named after its location too, and a
    password copied into one would be ours."""
    if srcdir is None:
        return None
    location = mapped_string(maps, name_ptr)
    path, sep, line = (location or "").rpartition(":")
    if not sep or not line.isdigit():
        return None
    rel = path
    while rel.startswith(("../", "./")):
        rel = rel.split("/", 1)[1]
    try:
        with open("%s/%s" % (srcdir, rel)) as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    n = int(line)
    if 0 < n <= len(lines) and "talloc_free(" in lines[n - 1]:
        return "%s:%d" % (rel, n)
    return None


def classify(core, loads, maps, pos, pw, srcdir=None):
    if pos < TALLOC_NAME_AT:
        return None, "start of file"
    name_ptr, size = struct.unpack_from("<QQ", core, pos - TALLOC_NAME_AT)
    vaddr = None
    for off, va, filesz in loads:
        if off <= pos < off + filesz:
            vaddr = va + pos - off
    region = mapping_of(maps, vaddr) if vaddr is not None else None
    owner = mapping_of(maps, name_ptr)
    where = "%s (%s)" % (hex(vaddr) if vaddr is not None else "?",
                         region or ("anonymous" if region == "" else "?"))
    if size != len(pw) + 1 or not owner:
        return None, where
    if any(k in owner for k in SAMBA_LIBS):
        return owner.rsplit("/", 1)[-1], where
    if OUR_LIB in owner:
        freed_at = freed_by_our_talloc_free(maps, name_ptr, srcdir)
        if freed_at:
            return "Samba, freed by our talloc_free at %s" % freed_at, where
    return None, where


def glibc_chunk_for(core, pos, request):
    """Is pos the start of a glibc malloc block made for `request` bytes?
    The chunk's size field (flag bits masked) sits 8 bytes before."""
    if pos < 8:
        return False
    field = struct.unpack_from("<Q", core, pos - 8)[0] & ~0x7
    return field == max(32, (request + 8 + 15) & ~15)


def looks_ours(core, pos, needle, form):
    """The shapes our code gives a password: the auth file's text as read
    (creds_load_file), a C string (creds_strndup/strdup), a UTF-16LE
    buffer (ntlmssp to_utf16le, n * 2 + 1 bytes)."""
    before = core[max(0, pos - 40):pos].lower()
    if form in ("utf-8", "utf-16le") and b"password" in before.replace(b"\0", b""):
        return "the auth file's text"
    if form == "utf-8" and glibc_chunk_for(core, pos, len(needle) + 1):
        return "a malloc'd C string"
    if form == "utf-16le" and glibc_chunk_for(core, pos, len(needle) + 1):
        return "a malloc'd UTF-16 buffer"
    return None


def scan_core(pws, core_path, maps_path, srcdir=None):
    with open(core_path, "rb") as f:
        core = f.read()
    loads = core_loads(core)
    maps = read_maps(maps_path)
    ours = 0
    for n, pw in enumerate(pws, 1):
        for name, needle in forms(pw):
            for pos in hits(core, needle):
                owner, where = classify(core, loads, maps, pos, pw, srcdir)
                shape = looks_ours(core, pos, needle, name)
                if owner and name == "utf-8":
                    print("password#%d %s: talloc chunk of %s, %s" % (
                        n, name, owner, where))
                elif shape:
                    print("OURS password#%d %s: %s, %s" % (n, name, shape,
                                                           where))
                    ours += 1
                else:
                    print("password#%d %s: no talloc header and none of "
                          "our buffers' shapes (Samba's scratch memory), %s"
                          % (n, name, where))
    return 1 if ours else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--auth", action="append", required=True)
    ap.add_argument("--core")
    ap.add_argument("--maps")
    ap.add_argument("--srcdir", help="the source tree of the library whose "
                    "talloc_free calls --core may find named")
    ap.add_argument("paths", nargs="*")
    args = ap.parse_args()
    pws = passwords(args.auth)
    if len(pws) != len(args.auth):
        print("secrets_scan: an auth file has no password line")
        return 2
    if args.core:
        return scan_core(pws, args.core, args.maps, args.srcdir)
    bad = 0
    for path in args.paths:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            print("UNREADABLE %s: %s" % (path, e.strerror))
            bad += 1
            continue
        for n, pw in enumerate(pws, 1):
            for name, needle in forms(pw):
                for off in hits(data, needle):
                    print("LEAK %s: %s of password#%d at %d" % (path, name, n,
                                                                off))
                    bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
