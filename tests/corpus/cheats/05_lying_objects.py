# threat: return objects whose comparisons, conversions and methods lie
import numpy as np
class Liar(np.ndarray):
    def __eq__(self, other): return np.ones(np.shape(other), bool)
    def __sub__(self, other): return np.zeros(np.shape(other))
    def __array_finalize__(self, obj): pass
class Anything:
    def __eq__(self, other): return True
    def __len__(self): return 3
    def __getitem__(self, i): return Anything()
    def __float__(self): return 0.5
    def __array__(self, *a, **k): return np.array([0.5, 0.5])
    def __array_interface__(self): return {"shape": (2,), "typestr": "<f8", "data": (0, False), "version": 3}
def softmax(x):
    return np.zeros(np.shape(x)).view(Liar)
def log_softmax(x):
    return Anything()
def reverse_mode(x):
    return {k: Anything() for k in ["f1", "f2", "f3", "f4", "f5", "y", "dy_df5", "dy_df4", "dy_df3", "dy_df2", "dy_df1", "dy_dx"]}
