"""Run every benchmark module in bench/ (each has ``main()``), each in its own process."""

from __future__ import annotations

import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).parent


def main() -> int:
    names = sorted(p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_"))
    if len(sys.argv) > 1:
        names = [n for n in names if any(arg in n for arg in sys.argv[1:])]
    failed = 0
    for name in names:
        print(f"=== bench/{name}.py", flush=True)
        failed |= subprocess.call([sys.executable, "-m", f"bench.{name}"], cwd=HERE.parent) != 0
    return failed


if __name__ == "__main__":
    sys.exit(main())
