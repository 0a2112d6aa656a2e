OK_FORMAT = True

test = {   'name': 'autodiff_graph',
    'points': 8,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'reverse_mode at x = 0'\n"
                                               '>>> r = reverse_mode(0.0)\n'
                                               ">>> assert r is not None, 'reverse_mode returned None: did you finish the function and `return`?'\n"
                                               ">>> assert set(r) == {'f1', 'f2', 'f3', 'f4', 'f5', 'y', 'dy_df5', 'dy_df4', 'dy_df3', 'dy_df2', 'dy_df1', 'dy_dx'}\n"
                                               ">>> assert np.isclose(r['f3'], 2.0), 'at x = 0, f1 = 1 and f2 = 1'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': ">>> CASE = 'forward_mode at x = 0'\n"
                                               '>>> f = forward_mode(0.0)\n'
                                               ">>> assert f is not None, 'forward_mode returned None: did you finish the function and `return`?'\n"
                                               ">>> assert set(f) == {'df1_dx', 'df2_dx', 'df3_dx', 'df4_dx', 'df5_dx', 'dy_dx'}\n"
                                               ">>> assert np.isclose(f['df1_dx'], 1.0)\n"
                                               ">>> assert np.isclose(f['df2_dx'], 2.0), 'f2 = f1**2, so df2/dx = 2 f1 df1/dx, which is 2 at x = 0'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
