# question: autodiff_graph
# mistake: dy/df3 forgets the branch through f5 = sin(f3)
def reverse_mode(x):
    f1 = math.exp(x); f2 = f1 ** 2; f3 = f1 + f2; f4 = math.exp(f3); f5 = math.sin(f3); y = f4 + f5
    dy_df5 = 1.0; dy_df4 = 1.0
    dy_df3 = dy_df4 * f4
    dy_df2 = dy_df3
    dy_df1 = dy_df3 + dy_df2 * 2 * f1
    return {"f1": f1, "f2": f2, "f3": f3, "f4": f4, "f5": f5, "y": y, "dy_df5": dy_df5,
            "dy_df4": dy_df4, "dy_df3": dy_df3, "dy_df2": dy_df2, "dy_df1": dy_df1,
            "dy_dx": dy_df1 * f1}
