"""Entry points: the command line now, the HTTP service later."""
