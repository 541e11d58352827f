#!/usr/bin/env python3
"""httpd.py DIR  Serve DIR over HTTP on the host's loopback only
(127.0.0.1), on a free port that the kernel picks; print that port on one
line, then serve until killed. Guests reach it at 10.0.2.2:PORT through
QEMU's user network, which maps its gateway address to the host's loopback.
Requests are not logged."""
import functools
import http.server
import sys


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    handler = functools.partial(Quiet, directory=sys.argv[1])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
