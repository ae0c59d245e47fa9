# etc: the example configuration, installed as documentation (the daemon's
# real /etc/mprmon/mprmon.conf belongs to the administrator, never
# overwritten by make install).
exampledir = $(docdir)/examples
dist_example_DATA = etc/mprmon.conf.example
