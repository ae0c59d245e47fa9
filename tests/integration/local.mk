# tests/integration: rules are added here.
