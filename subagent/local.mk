# subagent: rules are added here.
