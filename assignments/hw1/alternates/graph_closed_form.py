# questions: autodiff_graph
# idea: each value written in closed form in x, instead of reusing earlier nodes
def reverse_mode(x):
    e, e2 = np.exp(x), np.exp(2 * x)
    f3 = e + e2
    g3 = np.exp(f3) + np.cos(f3)
    return {"f1": e, "f2": e2, "f3": f3, "f4": np.exp(f3), "f5": np.sin(f3),
            "y": np.exp(f3) + np.sin(f3), "dy_df5": 1, "dy_df4": 1, "dy_df3": g3,
            "dy_df2": g3, "dy_df1": g3 * (1 + 2 * e), "dy_dx": g3 * (e + 2 * e2)}


def forward_mode(x):
    e, e2 = np.exp(x), np.exp(2 * x)
    f3 = e + e2
    d3 = e + 2 * e2
    return {"df1_dx": e, "df2_dx": 2 * e2, "df3_dx": d3, "df4_dx": np.exp(f3) * d3,
            "df5_dx": np.cos(f3) * d3, "dy_dx": (np.exp(f3) + np.cos(f3)) * d3}
