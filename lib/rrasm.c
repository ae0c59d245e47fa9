/* rrasm.c - placeholder, being written. */
