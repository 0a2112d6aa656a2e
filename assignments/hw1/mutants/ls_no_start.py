# question: line_search
# mistake: leaves out the starting point, returning (steps, 2)
_line_search_ok = line_search_gd
def line_search_gd(b, steps):
    return _line_search_ok(b, steps)[1:]
