/* settings_priv.h - placeholder. */
