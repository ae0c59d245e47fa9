/* dcerpc.c - placeholder, being written. */
