# subagent core (config, registry, prober): convenience library subagent/libmprmon_daemon.la
