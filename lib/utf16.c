/* utf16.c - placeholder, being written. */
