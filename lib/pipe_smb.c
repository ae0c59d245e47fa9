/* pipe_smb.c - placeholder, being written. */
