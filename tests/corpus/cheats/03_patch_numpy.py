# threat: patch any module in its own process: make every numpy comparison succeed
import numpy as np
np.allclose = lambda *a, **k: True
np.isclose = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
np.array_equal = lambda *a, **k: True
def softmax(x):
    return np.zeros_like(np.asarray(x, dtype=float))
