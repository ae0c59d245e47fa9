# etc: rules are added here.
