# tests/lib: rules are added here.
