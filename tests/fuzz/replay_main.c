/* SPDX-License-Identifier: GPL-3.0-or-later */
/* replay_main.c - runs a libFuzzer target without libFuzzer, for make check:
 * feeds every file of the target's seed corpus (and every prefix of it, so
 * truncations are covered too) to LLVMFuzzerTestOneInput.
 *
 * Arguments are files or directories; with none, the corpus is
 * $top_srcdir/tests/fuzz/corpus/FUZZ_CORPUS (FUZZ_CORPUS defined when
 * compiling).  Exit 0 when every input ran, 1 when an input could not be
 * read, 77 when there is no corpus to run. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX_INPUT (1u << 20)

static int replay_file(const char *path, unsigned *count)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    size_t n;

    if (!f) {
        perror(path);
        return -1;
    }
    buf = malloc(REPLAY_MAX_INPUT);
    if (!buf) {
        fclose(f);
        return -1;
    }
    n = fread(buf, 1, REPLAY_MAX_INPUT, f);
    fclose(f);
    for (size_t i = 0; i <= n; i++) {
        /* a copy of exactly the prefix, so that a read past it is caught by
         * valgrind or ASan */
        uint8_t *copy = malloc(i ? i : 1);

        if (!copy) {
            free(buf);
            return -1;
        }
        memcpy(copy, buf, i);
        LLVMFuzzerTestOneInput(copy, i);
        free(copy);
    }
    free(buf);
    (*count)++;
    return 0;
}

static int replay_path(const char *path, unsigned *count)
{
    struct stat st;
    struct dirent **names;
    int n, rc = 0;

    if (stat(path, &st) != 0) {
        perror(path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return replay_file(path, count);
    n = scandir(path, &names, NULL, alphasort);
    if (n < 0) {
        perror(path);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        char full[4096];

        if (names[i]->d_name[0] != '.' && rc == 0) {
            snprintf(full, sizeof(full), "%s/%s", path, names[i]->d_name);
            rc = replay_path(full, count);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    unsigned count = 0;
    char dir[4096];

    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            if (replay_path(argv[i], &count) != 0)
                return 1;
    } else {
        const char *srcdir = getenv("top_srcdir");

        if (!srcdir) {
            printf("SKIP: top_srcdir is not set (run through make check)\n");
            return 77;
        }
        snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s", srcdir,
                 FUZZ_CORPUS);
        if (replay_path(dir, &count) != 0)
            return 1;
    }
    if (count == 0) {
        printf("SKIP: no corpus files\n");
        return 77;
    }
    printf("replayed %u inputs (with all their prefixes)\n", count);
    return 0;
}
