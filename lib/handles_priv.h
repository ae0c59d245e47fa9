/* handles_priv.h - placeholder. */
