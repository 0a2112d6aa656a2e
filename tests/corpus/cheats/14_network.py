# threat: open network connections: phone home, or reach a local grader service
import socket, urllib.request
got = []
for host, port in [("1.1.1.1", 80), ("127.0.0.1", 22), ("localhost", 8888), ("pypi.org", 443)]:
    try:
        socket.create_connection((host, port), timeout=1).close()
        got.append(host)
    except OSError:
        pass
def softmax(x):
    return got  # nothing useful can come back anyway
