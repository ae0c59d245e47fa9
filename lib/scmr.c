/* scmr.c - placeholder, being written. */
