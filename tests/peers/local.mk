# tests/peers: rules are added here.
EXTRA_DIST += tests/valgrind.supp tests/peers/common.sh
