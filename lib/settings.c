/* settings.c - placeholder, being written. */
