# question: autodiff_graph
# mistake: forward mode uses the local derivative 2 f1 for df2/dx, without the chain factor df1/dx
_forward_ok = forward_mode
def forward_mode(x):
    out = dict(_forward_ok(x))
    f1 = math.exp(x); f3 = f1 + f1 ** 2
    out["df2_dx"] = 2 * f1
    out["df3_dx"] = out["df1_dx"] + out["df2_dx"]
    out["df4_dx"] = math.exp(f3) * out["df3_dx"]
    out["df5_dx"] = math.cos(f3) * out["df3_dx"]
    out["dy_dx"] = out["df4_dx"] + out["df5_dx"]
    return out
