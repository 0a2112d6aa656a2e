"""The untrusted side of grading: what runs in or next to the student's code.

- ``client``: the grader's handle on one sandboxed kernel (its channel, deadlines, restarts);
- ``zygote``: a clean parent that imports the heavy libraries once and forks kernels;
- ``sandbox``: the isolation layers a forked kernel applies to itself;
- ``worker``: the kernel itself, which runs the student's cells and answers requests.

Everything here except ``client`` may run with student code in the same process; nothing here
reads hidden tests or writes results.
"""

from deepgrade.grade.kernel.client import (
    GraderFault,
    Kernel,
    KernelDied,
    KernelFault,
    KernelTimeout,
)

__all__ = ["GraderFault", "Kernel", "KernelDied", "KernelFault", "KernelTimeout"]
