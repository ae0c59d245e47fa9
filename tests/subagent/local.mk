# tests/subagent: rules are added here.
