"""Run a command under a different numerical configuration from this machine's default.

Usage: python tools/other_numerics.py [--print] COMMAND [ARG ...]

Stored notebook outputs must not depend on the CPU. Re-checking them here,
with other kernels and one thread, finds an output that does, before a
learner on another CPU does. Compared with the default run, the command gets:

- one thread for OpenMP, OpenBLAS and torch (another summation order);
- another OpenBLAS kernel (``OPENBLAS_CORETYPE``), unless the machine already
  sets one, which some processors need to compute correctly;
- numpy's AVX-512 loops switched off (``NPY_DISABLE_CPU_FEATURES``, with the
  names numpy 2.x dispatches: other names are silently ignored);
- torch's next lower CPU kernel set (``ATEN_CPU_CAPABILITY``) and no AVX-512
  in OpenCV (``OPENCV_CPU_DISABLE``).

``--print`` prints the settings and runs nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys

# OpenBLAS kernels, newest first; the alternative is the next older one this CPU can run.
BLAS_FALLBACK = {
    "sapphirerapids": "Haswell",
    "cooperlake": "Haswell",
    "skylakex": "Haswell",
    "zen": "Sandybridge",
    "haswell": "Sandybridge",
    "sandybridge": "Nehalem",
}
TORCH_FALLBACK = {"AVX512": "avx2", "AVX2": "default"}
NUMPY_AVX512 = "X86_V4 AVX512_ICL AVX512_SPR"


def default_configuration() -> dict[str, str]:
    """This machine's defaults, probed in a clean child process."""
    probe = (
        "import threadpoolctl, numpy, torch\n"
        "blas = [i for i in threadpoolctl.threadpool_info() if i['internal_api'] == 'openblas']\n"
        "print(blas[0].get('architecture') or '' if blas else '')\n"
        "print(torch.backends.cpu.get_cpu_capability())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    return {"blas": out[0].strip(), "torch": out[1].strip()}


def other_configuration() -> dict[str, str]:
    """The environment variables that give a different numerical configuration."""
    default = default_configuration()
    env = {
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "NPY_DISABLE_CPU_FEATURES": NUMPY_AVX512,
        "OPENCV_CPU_DISABLE": "AVX512-SKX",
        "ATEN_CPU_CAPABILITY": TORCH_FALLBACK.get(default["torch"], "default"),
    }
    if "OPENBLAS_CORETYPE" not in os.environ:
        kernel = BLAS_FALLBACK.get(default["blas"].lower())
        if kernel:
            env["OPENBLAS_CORETYPE"] = kernel
    return env


def main(argv: list[str]) -> int:
    env = other_configuration()
    for key, value in sorted(env.items()):
        print(f"other numerics: {key}={value}", flush=True)
    if "OPENBLAS_CORETYPE" not in env:
        print(
            "other numerics: OpenBLAS keeps its kernel "
            "(preset by this machine, or no alternative known)",
            flush=True,
        )
    if argv[:1] == ["--print"]:
        return 0
    if not argv:
        sys.exit(__doc__)
    return subprocess.run(argv, check=False, env={**os.environ, **env}).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
