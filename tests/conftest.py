import os
import sys
from pathlib import Path

# the tests' own helpers (tests/numeric.py) are importable as top-level modules
sys.path.insert(0, str(Path(__file__).parent))

# verdicts kept by the runs of the tests (in this process and in the subprocesses they
# start) go to a folder of their own, never into the checkout or a user's cache
if "SYMCONV_CACHE_DIR" not in os.environ:
    import tempfile

    os.environ["SYMCONV_CACHE_DIR"] = tempfile.mkdtemp(prefix="symconv-test-cache-")
