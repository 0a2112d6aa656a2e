# question: autodiff_graph
# mistake: dy/df1 follows only the direct path f1 -> f3, not f1 -> f2 -> f3
_reverse_ok = reverse_mode
def reverse_mode(x):
    out = dict(_reverse_ok(x))
    out["dy_df1"] = out["dy_df3"]
    out["dy_dx"] = out["dy_df1"] * out["f1"]
    return out
