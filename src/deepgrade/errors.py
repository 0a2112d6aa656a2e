"""Errors meant for people: one line, what was wrong, where, and what to do."""


class UserError(Exception):
    """A mistake in the user's input (homework name, path, notebook).

    The CLI prints ``deepgrade: error: <message>`` and exits with ``status`` (2 by default),
    without a traceback.
    """

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


class BuildError(UserError):
    """A master notebook cannot be built; the message names homework, question, the master's
    cell (numbered from 1) and test case, then how to fix it."""

    def __init__(self, homework: str, message: str, *, question: str | None = None,
                 cell: int | None = None, case: str | None = None,
                 fix: str | None = None) -> None:
        where = [homework]
        if question:
            where.append(f"question '{question}'")
        if cell is not None:
            where.append(f"cell {cell}" + (f" ({case})" if case else ""))
        elif case:
            where.append(case)
        text = f"{', '.join(where)}: {message}"
        if fix:
            text += f"; {fix}"
        super().__init__(text)
