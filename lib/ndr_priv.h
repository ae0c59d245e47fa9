/* ndr_priv.h - placeholder. */
