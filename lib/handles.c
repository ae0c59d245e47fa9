/* handles.c - placeholder, being written. */
