"""What hidden tests call: comparisons with worst-entry reports, gradient checks, torch models.

Every failure raises AssertionError with a message written for the student: what was compared,
where the worst entry is, expected and got, the relative error and the tolerance.
"""

from deepgrade.checks.compare import as_float_array, assert_close, assert_shape, relative_error
from deepgrade.checks.failures import CheckFailures, Failures, other_question_first
from deepgrade.checks.gradients import check_gradient, numerical_gradient, torch_gradients
from deepgrade.checks.models import accuracy, load_weights
from deepgrade.checks.seeding import seed_everything
from deepgrade.checks.timing import assert_fast_enough, cpu_call, reference_seconds

__all__ = [
    "CheckFailures", "Failures", "accuracy", "as_float_array", "assert_close",
    "assert_fast_enough", "assert_shape", "check_gradient", "cpu_call", "load_weights",
    "numerical_gradient", "other_question_first", "reference_seconds",
    "relative_error", "seed_everything", "torch_gradients",
]
