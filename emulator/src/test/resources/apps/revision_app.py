# A tiny revision: answers every GET with its revision name (K_REVISION) on $PORT.
import http.server
import os

REVISION = os.environ["K_REVISION"].encode()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(REVISION)))
        self.end_headers()
        self.wfile.write(REVISION)

    def log_message(self, *args):
        pass


print("serving", os.environ["K_REVISION"], "on port", os.environ["PORT"], flush=True)
http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
