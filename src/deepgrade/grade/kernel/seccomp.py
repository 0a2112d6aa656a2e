"""A seccomp filter of our own for the student's kernel: no network, no tracing, no namespaces,
no mounts, no keyrings, no IPC that outlives the kernel.

The filter is a small classic-BPF program built here (no libseccomp needed, so it works in any
container that has the prctl): it checks the architecture, then denies a short list of system
calls with ``EPERM`` and lets everything else through. It is a deny list on purpose: the kernel
runs NumPy, torch and IPython, whose needs change between versions; what it must never do is
short and stable:

- talk to the network or the host (``socket`` for anything but ``AF_UNIX``; ``io_uring``, which
  would do socket and file operations out of seccomp's sight);
- trace or read other processes (``ptrace``, ``process_vm_readv/writev``, ``kcmp``);
- leave the sandbox (``unshare``, ``setns``, ``clone`` with namespace flags, ``mount``,
  ``umount2``, ``pivot_root``, ``chroot``, ``open_by_handle_at``);
- keep state that outlives the kernel and the next submission could read: keyrings (``add_key``,
  ``request_key``, ``keyctl``), System V IPC (``shm*``, ``sem*``, ``msg*``), POSIX message queues;
- reach kernel attack surface nobody needs here (``bpf``, ``perf_event_open``, ``userfaultfd``).

``clone3`` answers ``ENOSYS`` (its flags live in memory that BPF cannot read), so the C library
falls back to ``clone``, whose flags are checked: this is what Docker's own profile does.
Only x86-64 is supported; elsewhere the layer is reported as unavailable, never faked.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct

from deepgrade.grade.kernel.native import libc, prctl

PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
AUDIT_ARCH_X86_64 = 0xC000003E
X32_SYSCALL_BIT = 0x40000000
RET_ALLOW, RET_KILL_PROCESS, RET_ERRNO = 0x7FFF0000, 0x80000000, 0x00050000
# classic BPF opcodes
LD_ABS_W, JEQ_K, JGE_K, JSET_K, RET_K = 0x20, 0x15, 0x35, 0x45, 0x06
# offsets into struct seccomp_data: nr (u32), arch (u32), ip (u64), args[6] (u64, little-endian)
OFF_NR, OFF_ARCH, OFF_ARG0_LOW = 0, 4, 16

AF_UNIX = 1
CLONE_NAMESPACE_FLAGS = (0x00020000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000
                         | 0x40000000 | 0x02000000)  # NEWNS UTS IPC USER PID NET CGROUP

# x86-64 system call numbers (arch/x86/entry/syscalls/syscall_64.tbl), grouped as above.
DENIED_X86_64 = {
    "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
    "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311, "kcmp": 312,
    "unshare": 272, "setns": 308, "mount": 165, "umount2": 166, "pivot_root": 155,
    "chroot": 161, "open_by_handle_at": 304, "fsopen": 430, "fsmount": 432, "move_mount": 429,
    "open_tree": 428,
    "add_key": 248, "request_key": 249, "keyctl": 250,
    "shmget": 29, "shmat": 30, "shmctl": 31, "shmdt": 67, "semget": 64, "semop": 65,
    "semctl": 66, "semtimedop": 220, "msgget": 68, "msgsnd": 69, "msgrcv": 70, "msgctl": 71,
    "mq_open": 240, "mq_unlink": 241, "mq_timedsend": 242, "mq_timedreceive": 243,
    "mq_notify": 244, "mq_getsetattr": 245,
    "bpf": 321, "perf_event_open": 298, "userfaultfd": 323,
}
SOCKET, CLONE, CLONE3 = 41, 56, 435


class SeccompUnavailable(OSError):
    """This machine cannot install our filter (another architecture, or prctl refused)."""


def supported() -> bool:
    return platform.machine() in ("x86_64", "AMD64")


def _insn(code: int, k: int, jt: int | str = 0, jf: int | str = 0) -> list:
    return [code, jt, jf, k]


def build_program() -> bytes:
    """The filter as packed ``struct sock_filter`` entries (8 bytes each)."""
    deny = RET_ERRNO | errno.EPERM
    prog: list[list] = [
        _insn(LD_ABS_W, OFF_ARCH),
        _insn(JEQ_K, AUDIT_ARCH_X86_64, 0, "kill"),  # i386/x32 numbers mean other calls
        _insn(LD_ABS_W, OFF_NR),
        _insn(JGE_K, X32_SYSCALL_BIT, "kill", 0),
        _insn(JEQ_K, SOCKET, "socket", 0),
        _insn(JEQ_K, CLONE, "clone", 0),
        _insn(JEQ_K, CLONE3, "enosys", 0),
    ]
    for number in sorted(DENIED_X86_64.values()):
        prog.append(_insn(JEQ_K, number, "deny", 0))
    labels: dict[str, int] = {}

    def label(name: str) -> None:
        labels[name] = len(prog)

    prog.append(_insn(RET_K, RET_ALLOW))
    label("socket")
    prog += [_insn(LD_ABS_W, OFF_ARG0_LOW), _insn(JEQ_K, AF_UNIX, "allow", "deny")]
    label("clone")
    prog += [_insn(LD_ABS_W, OFF_ARG0_LOW), _insn(JSET_K, CLONE_NAMESPACE_FLAGS, "deny", "allow")]
    label("allow")
    prog.append(_insn(RET_K, RET_ALLOW))
    label("deny")
    prog.append(_insn(RET_K, deny))
    label("enosys")
    prog.append(_insn(RET_K, RET_ERRNO | errno.ENOSYS))
    label("kill")
    prog.append(_insn(RET_K, RET_KILL_PROCESS))
    out = b""
    for pc, (code, jt, jf, k) in enumerate(prog):
        # Jumps are relative to the next instruction and must fit in 8 bits.
        jt = labels[jt] - pc - 1 if isinstance(jt, str) else jt
        jf = labels[jf] - pc - 1 if isinstance(jf, str) else jf
        assert 0 <= jt < 256 and 0 <= jf < 256, "seccomp program too long for a jump"
        out += struct.pack("<HBBI", code, jt, jf, k)
    return out


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install() -> None:
    """Install the filter on this process (inherited by everything it starts). Irreversible.

    Sets no_new_privs first, as an unprivileged process must; raises SeccompUnavailable.
    """
    if not supported():
        raise SeccompUnavailable(errno.ENOTSUP, f"no seccomp filter for {platform.machine()}")
    program = build_program()
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.addressof(buffer))
    if not prctl(PR_SET_NO_NEW_PRIVS, 1):
        raise SeccompUnavailable(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) refused")
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        err = ctypes.get_errno()
        raise SeccompUnavailable(err, f"prctl(PR_SET_SECCOMP): {os.strerror(err)}")
