# tests/fuzz: rules are added here.
