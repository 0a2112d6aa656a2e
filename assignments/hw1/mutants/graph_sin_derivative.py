# question: autodiff_graph
# mistake: differentiates sin as -cos in forward mode
_forward_ok = forward_mode
def forward_mode(x):
    out = dict(_forward_ok(x))
    f1 = math.exp(x); f3 = f1 + f1 ** 2
    out["df5_dx"] = -math.cos(f3) * out["df3_dx"]
    out["dy_dx"] = out["df4_dx"] + out["df5_dx"]
    return out
