# mibs: rules are added here.
