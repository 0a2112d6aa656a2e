# threat: inspect the stack to find the expected values in the caller's frames
import inspect, sys
def softmax(x):
    for frame_info in inspect.stack():
        for name in ("expected", "want", "reference"):
            if name in frame_info.frame.f_locals:
                return frame_info.frame.f_locals[name]
    frame = sys._getframe()
    while frame is not None:
        if "expected" in frame.f_globals:
            return frame.f_globals["expected"]
        frame = frame.f_back
    return None
