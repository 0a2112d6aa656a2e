"""What a student reads when their code is reached through the session: an attribute the test
needs but the object lacks is named as an unfinished class."""

from __future__ import annotations

import pytest

from deepgrade.grade.proxy import StudentNamespace
from deepgrade.grade.session import Session, StudentError
from deepgrade.project import Budgets

FAST = Budgets(notebook_seconds=60, cell_seconds=4, test_seconds=4, memory_mb=1024)
UNFINISHED = '''
class Linear:
    def __init__(self, n_in, n_out, seed=0):
        ...

    def broken(self):
        raise AttributeError("something else")
'''


def test_a_missing_attribute_is_named_as_an_unfinished_class():
    with Session(FAST) as session:
        session.run_cells([(1, UNFINISHED)])
        assert session.outcomes[0].ok, session.outcomes
        ns = StudentNamespace(session, {})
        session.begin_test(10)
        layer = ns["Linear"](3, 2)
        with pytest.raises(StudentError) as err:
            layer.params
        message = str(err.value)
        assert "has no attribute 'params'" in message
        assert message.endswith("did you finish the class (its __init__ must set self.params)?")
        with pytest.raises(StudentError) as err:  # an AttributeError raised by a call is its own
            layer.broken()
        assert "did you finish" not in str(err.value)
