/* creds.c - placeholder, being written. */
