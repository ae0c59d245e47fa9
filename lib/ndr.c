/* ndr.c - placeholder, being written. */
