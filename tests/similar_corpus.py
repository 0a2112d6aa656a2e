"""A class of hw1 notebooks for ``deepgrade similar``: independent solutions and planted copies.

Each notebook is the student notebook handed out with its answer cells filled: with the
reference's code, or, for ``softmax``, ``line_search`` and the written question
``written_reverse_vs_forward``, with one of eight independent solutions each (the homework's
alternates and hand-written ones). The planted copies take another student's answers and
disguise them as students do: renamed names, reformatting, other comments and docstrings, dead
code, reordered functions, split or merged cells, rewritten LaTeX. The benchmark uses the same
builder.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat

from deepgrade.project import Homework
from deepgrade.similar.answers import read_layout
from deepgrade.store import Cell
from deepgrade.validate.variants import defined_names
from deepgrade.written.answers import BEGIN


def definitions(source: str) -> dict[str, str]:
    """The source of each top-level function or class of ``source``, by its name."""
    lines = source.splitlines(keepends=True)
    out = {}
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            out[node.name] = "".join(lines[first - 1:node.end_lineno])
    return out


def _alternate(name: str, function: str) -> str:
    """One function of one of hw1's alternates, as the file has it."""
    path = Path(__file__).resolve().parents[1] / "assignments" / "hw1" / "alternates"
    return definitions((path / f"{name}.py").read_text())[function]


SOFTMAX = [
    # the reference
    '''def softmax(x):
    """Softmax along the last axis. x: array (..., K). Returns an array (..., K)."""

    x = np.asarray(x, dtype=np.float64)
    shifted = x - x.max(axis=-1, keepdims=True)  # largest exponent is 0: no overflow
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)
''',
    _alternate("softmax_loops", "softmax"),
    # alternates/torch_style.py's idea
    '''def softmax(x):
    t = torch.as_tensor(np.asarray(x), dtype=torch.float64)
    return torch.softmax(t, dim=-1)
''',
    '''def softmax(x):
    arr = np.array(x, dtype=float)
    peak = np.amax(arr, axis=-1)[..., None]
    num = np.exp(arr - peak)
    den = np.add.reduce(num, axis=-1)[..., np.newaxis]
    return num / den
''',
    '''def _softmax_1d(v):
    z = v - v.max()
    ez = np.exp(z)
    return ez / ez.sum()


def softmax(x):
    return np.apply_along_axis(_softmax_1d, -1, np.asarray(x, dtype=np.float64))
''',
    '''def softmax(x):
    x = np.asarray(x, np.float64)
    m = np.max(x, axis=-1, keepdims=True)
    lse = m + np.log(np.sum(np.exp(x - m), axis=-1, keepdims=True))
    return np.exp(x - lse)
''',
    '''def softmax(x):
    values = np.asarray(x, dtype=np.float64)
    shape = values.shape
    flat = values.reshape(-1, shape[-1])
    flat = flat - flat.max(axis=1)[:, None]
    expd = np.exp(flat)
    totals = expd @ np.ones(shape[-1])
    return (expd / totals[:, None]).reshape(shape)
''',
    '''def softmax(x):
    x = np.asarray(x, dtype=np.float64)
    moved = np.moveaxis(x, -1, 0)
    moved = moved - moved.max(axis=0)
    powers = np.exp(moved)
    probs = powers / powers.sum(axis=0)
    return np.moveaxis(probs, 0, -1)
''',
]

LINE_SEARCH = [
    # the reference
    '''def line_search_gd(b, steps):
    """Iterates of exact-line-search gradient descent on (x^2 + b y^2)/2 from (b, 1)."""

    p = np.array([b, 1.0], dtype=np.float64)
    curvature = np.array([1.0, b])  # f = p^T A p / 2 with A = diag(1, b)
    path = [p.copy()]
    for _ in range(steps):
        g = curvature * p
        gg = g @ g
        if gg > 0:
            alpha = gg / (g @ (curvature * g))  # argmin_a f(p - a g) = g.g / g.A.g
            p = p - alpha * g
        path.append(p.copy())
    return np.array(path)
''',
    _alternate("ls_closed_form", "line_search_gd"),
    '''def line_search_gd(b, steps):
    x, y = float(b), 1.0
    xs, ys = [x], [y]
    for _ in range(steps):
        gx, gy = x, b * y
        num = gx * gx + gy * gy
        if num == 0:
            xs.append(x)
            ys.append(y)
            continue
        t = num / (gx * gx + b * gy * gy)
        x, y = x - t * gx, y - t * gy
        xs.append(x)
        ys.append(y)
    return np.column_stack([xs, ys])
''',
    '''def line_search_gd(b, steps):
    A = np.diag([1.0, b])
    out = np.zeros((steps + 1, 2))
    out[0] = [b, 1.0]
    for k in range(steps):
        grad = A @ out[k]
        denom = grad @ A @ grad
        step = 0.0 if denom == 0 else (grad @ grad) / denom
        out[k + 1] = out[k] - step * grad
    return out
''',
    '''def line_search_gd(b, steps):
    point = np.array([b, 1.0])
    history = np.empty((steps + 1, 2))
    history[0] = point
    i = 0
    while i < steps:
        d = -np.array([point[0], b * point[1]])
        if np.linalg.norm(d) == 0.0:
            history[i + 1:] = point
            break
        a = np.dot(d, d) / (d[0] ** 2 + b * d[1] ** 2)
        point = point + a * d
        i += 1
        history[i] = point
    return history
''',
    '''def _grad(p, b):
    return np.array([p[0], b * p[1]])


def _exact_step(g, b):
    curv = g[0] ** 2 + b * g[1] ** 2
    return 0.0 if curv == 0 else float(np.sum(g ** 2) / curv)


def line_search_gd(b, steps):
    pts = [np.array([b, 1.0])]
    for _ in range(steps):
        g = _grad(pts[-1], b)
        pts.append(pts[-1] - _exact_step(g, b) * g)
    return np.vstack(pts)
''',
    '''def line_search_gd(b, steps):
    H = torch.tensor([[1.0, 0.0], [0.0, b]], dtype=torch.float64)
    z = torch.tensor([b, 1.0], dtype=torch.float64)
    seq = [z.clone()]
    for _ in range(steps):
        r = H @ z
        rr = torch.dot(r, r)
        if rr.item() > 0:
            z = z - rr / torch.dot(r, H @ r) * r
        seq.append(z.clone())
    return torch.stack(seq).numpy()
''',
    '''def line_search_gd(b, steps):
    ratio = (1 - b) / (1 + b)
    iterates = np.empty((steps + 1, 2))
    cur = np.array([b, 1.0])
    for n in range(steps + 1):
        iterates[n] = cur
        cur = cur * np.array([-ratio, ratio])
    return iterates
''',
]

REVERSE_VS_FORWARD = [
    r"""Forward mode carries one tangent per pass, so the gradient of $f:\mathbb{R}^n\to\mathbb{R}$
needs $n$ passes, one per input direction. Reverse mode carries one adjoint per output: a single
backward pass gives all $n$ partial derivatives. With $n$ in the millions that is millions of
passes against one.""",
    r"""The cost of forward mode grows with the number of inputs, since each pass gives the
derivative along one direction $e_i$. For a loss we want $\nabla_\phi L$ with respect to every
parameter, so forward mode would be run once for each parameter. Reverse mode instead starts
from the scalar output and sweeps back through the graph once, reusing the stored activations,
and gets the whole gradient for about the price of two forward evaluations.""",
    r"""A network loss maps millions of weights to one number. Backpropagation (reverse
accumulation) computes vector-Jacobian products, and one product with the seed $\bar y = 1$ is
the full gradient. Forward accumulation computes Jacobian-vector products, one column at a
time, so we would need as many sweeps as there are weights.""",
    r"""Reverse mode: cost is (number of outputs) x (cost of one evaluation), here 1 x. Forward
mode: cost is (number of inputs) x (cost of one evaluation), here $10^6$ x. Memory is the price
of reverse mode because intermediate values must be kept for the backward sweep, but time
decides: deep learning trains with reverse mode.""",
    r"""With $J \in \mathbb{R}^{1\times n}$ the Jacobian of the loss, forward mode builds $J v$
for a chosen $v$, so recovering all of $J$ needs $v = e_1, \dots, e_n$. Reverse mode builds
$u^\top J$ for a chosen $u$, and since the output is scalar $u = 1$ already yields the entire
row. Hence one backward pass versus $n$ forward passes.""",
    r"""Because we only have one scalar output (the loss) and a huge number of inputs. Each
forward-mode pass pushes a perturbation of a single weight to the output; to learn how every
weight matters you repeat that for each weight. The backward pass pulls the sensitivity of the
loss back to all weights at the same time, which is why frameworks implement reverse mode.""",
    r"""Counting passes: forward mode needs one pass per input dimension, so $n$ passes for
$\mathbb{R}^n \to \mathbb{R}$, i.e. millions for a network. Reverse mode needs one pass per
output dimension, which is a single pass for a scalar loss. The trade-off is storing the
forward values for the backward sweep, which is affordable.""",
    r"""Think of the chain rule as a product of Jacobians $J_L \cdots J_1$. Multiplying from the
right (forward) starts with an $n\times n$ identity and carries $n$ columns through every layer.
Multiplying from the left (reverse) starts with a $1\times m$ row and carries only one row, so
it is $n$ times cheaper when the output is a scalar.""",
]

# The copies' own answers where they did not copy (independent of everybody's).
OWN_SOFTMAX = [
    '''def softmax(x):
    x = np.asarray(x, dtype=np.float64)
    out = np.exp(x - np.max(x, axis=-1, keepdims=True))
    out /= np.sum(out, axis=-1, keepdims=True)
    return out
''',
    '''def softmax(x):
    logits = np.asarray(x, dtype=np.float64)
    c = logits.max(-1, keepdims=True)
    w = np.exp(logits - c)
    norm = w.sum(-1, keepdims=True)
    return w / norm
''',
]
OWN_LINE_SEARCH = '''def line_search_gd(b, steps):
    coords = np.zeros((steps + 1, 2))
    coords[0, 0], coords[0, 1] = b, 1.0
    for j in range(1, steps + 1):
        px, py = coords[j - 1]
        g2 = px ** 2 + (b * py) ** 2
        gag = px ** 2 + b ** 3 * py ** 2
        lam = g2 / gag if gag > 0 else 0.0
        coords[j] = (px - lam * px, py - lam * b * py)
    return coords
'''

# Disguised copies. Of SOFTMAX[3]: renamed, a docstring and comments, dead code, reformatted.
SOFTMAX_COPY = '''def softmax(inp):
    """Compute the softmax of inp.

    We subtract the maximum first so that nothing overflows."""
    a = np.array(inp,
                 dtype=float)      # work on a copy
    debug = False
    if debug:
        print("shape", a.shape)
    top = np.amax(a, axis=-1)[..., None]   # max of each row
    numer = np.exp(a - top)
    for _unused in range(0):
        numer = numer * 1
    denom = np.add.reduce(numer,
                          axis=-1)[..., np.newaxis]
    return numer / denom
'''
# Of LINE_SEARCH[6]: renamed, a blank line and comments added, one line split in two.
LINE_SEARCH_COPY_TORCH = '''def line_search_gd(b, steps):
    # the quadratic's Hessian
    hess = torch.tensor([[1.0, 0.0], [0.0, b]], dtype=torch.float64)
    cur = torch.tensor([b, 1.0], dtype=torch.float64)

    trail = [cur.clone()]
    for _ in range(steps):
        g = hess @ cur
        gg = torch.dot(g, g)
        if gg.item() > 0:   # not at the minimum yet
            cur = cur - gg / torch.dot(g,
                                       hess @ g) * g
        trail.append(cur.clone())
    return torch.stack(trail).numpy()
'''
# Of LINE_SEARCH[5]: the helpers renamed, reordered after the main function and split into a
# cell of their own, one statement reformatted onto several lines.
LINE_SEARCH_COPY_MAIN = '''def line_search_gd(b, steps):
    # gradient descent with the exact step
    iterates = [np.array([b, 1.0])]
    for _ in range(steps):
        direction = gradient_at(iterates[-1], b)
        iterates.append(
            iterates[-1] - best_step(direction, b) * direction
        )
    return np.vstack(iterates)
'''
LINE_SEARCH_COPY_HELPERS = '''def best_step(grad, beta):
    """Exact minimiser along -grad."""
    c = grad[0] ** 2 + beta * grad[1] ** 2
    return 0.0 if c == 0 else float(np.sum(grad ** 2) / c)


def gradient_at(point, beta):
    return np.array([point[0], beta * point[1]])
'''
# Of REVERSE_VS_FORWARD[1]: another first sentence, LaTeX written another way, a word changed.
WRITTEN_COPY = r"""Forward mode is too slow here. The cost of forward mode grows with the number of
inputs, since each pass gives the derivative along one direction \(e_{i}\). For a loss we want
$\nabla_{\phi} L$ with respect to every parameter, so forward mode would be run once for each
parameter. Reverse mode instead starts from the scalar output and sweeps back through the
graph once, reusing the saved activations, and gets the whole gradient for about the price
of two forward evaluations."""

WRITTEN = "written_reverse_vs_forward"


def reference_code(hw: Homework) -> dict[frozenset[str], str]:
    """The reference's answer cells, by the names each defines."""
    nb = nbformat.read(hw.reference, as_version=4)
    return {frozenset(defined_names(c.source)): c.source for c in nb.cells
            if c.cell_type == "code"
            and "otter_assign_solution_cell" in c.metadata.get("tags", [])}


class Builder:
    """Fills the answer cells of one homework's student notebook."""

    def __init__(self, hw: Homework) -> None:
        self.template = nbformat.read(hw.out("student") / f"{hw.name}.ipynb", as_version=4)
        self.reference = reference_code(hw)
        layout = read_layout(hw)
        prompts = layout.written_template.prompts if layout.written_template else []
        # a prompt is keyed by its text after the BEGIN marker: the layout's prompt may also hold
        # the END marker of the question before it, in the same markdown cell
        self.written = {" ".join(p.split(BEGIN, 1)[-1].split()): q.name
                        for p, q in zip(prompts, layout.written)}

    def cells(self, code: dict[str, str] | None = None,
              written: dict[str, str] | None = None) -> list[Cell]:
        """The student notebook with its answer cells filled: the cell defining a name of
        ``code`` gets that source (all of them, for a cell that defines several), every other
        answer cell the reference's; the answer cell of each written question in ``written``
        (its name -> markdown) gets that text."""
        code, written = code or {}, written or {}
        cells: list[Cell] = []
        question = None
        for cell in self.template.cells:
            locked = (cell.metadata.get("editable") is False
                      or cell.metadata.get("deletable") is False)
            tags = cell.metadata.get("tags", [])
            source = cell.source
            if cell.cell_type == "markdown" and BEGIN in source:
                question = self.written.get(" ".join(source.split(BEGIN, 1)[1].split()))
            if "otter_answer_cell" in tags and cell.cell_type == "code":
                names = frozenset(defined_names(source))
                reference = self.reference.get(names, source)
                if names & code.keys():  # the names not given keep the reference's code
                    own = definitions(reference)
                    source = "\n\n".join(dict.fromkeys(code.get(n) or own.get(n, "")
                                                         for n in sorted(names)))
                else:
                    source = reference
            elif "otter_answer_cell" in tags and question in written:
                source = written[question]
            cells.append(Cell(cell.cell_type, source, locked))
        return cells


def planted_class(root: Path) -> tuple[dict[str, list[Cell]], dict[str, list[tuple[str, str]]]]:
    """Eight independent students and three planted copies: (key -> cells, question -> the
    planted pairs (original, copy) of it)."""
    build = Builder(Homework("hw1", root))
    notebooks = {}
    for i in range(8):
        notebooks[f"student_{i + 1}"] = build.cells(
            {"softmax": SOFTMAX[i], "line_search_gd": LINE_SEARCH[(i + 3) % 8]},
            {WRITTEN: REVERSE_VS_FORWARD[(i + 5) % 8]})
    # copy_a: all of student_4's (SOFTMAX[3], LINE_SEARCH[6]) disguised, its softmax moved
    # into the log_softmax cell (merged cells).
    cells = build.cells({"softmax": "# see the cell below",
                                "line_search_gd": LINE_SEARCH_COPY_TORCH}, {})
    notebooks["copy_a"] = [Cell(c.cell_type, SOFTMAX_COPY + "\n\n" + c.source, c.locked)
                           if c.source.startswith("def log_softmax") else c for c in cells]
    # copy_b: student_3's line_search (LINE_SEARCH[5]), its helpers in a cell of their own.
    cells = build.cells({"softmax": OWN_SOFTMAX[0],
                                "line_search_gd": LINE_SEARCH_COPY_MAIN}, {})
    at = next(i for i, c in enumerate(cells) if c.source.startswith("def line_search_gd"))
    cells.insert(at + 1, Cell("code", LINE_SEARCH_COPY_HELPERS, False))
    notebooks["copy_b"] = cells
    # copy_c: student_5's written answer (REVERSE_VS_FORWARD[1]), rewritten a little.
    notebooks["copy_c"] = build.cells(
        {"softmax": OWN_SOFTMAX[1], "line_search_gd": OWN_LINE_SEARCH},
        {WRITTEN: WRITTEN_COPY})
    copies = {"softmax": [("copy_a", "student_4")],
              "line_search": [("copy_a", "student_4"), ("copy_b", "student_3")],
              WRITTEN: [("copy_c", "student_5")],
              "notebook": [("copy_a", "student_4"), ("copy_b", "student_3")]}
    return notebooks, copies
