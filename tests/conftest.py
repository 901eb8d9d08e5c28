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

# Property tests (Hypothesis) run a fixed, derandomized set of examples by default, so that
# a run of the suite is reproducible; SYMCONV_HYPOTHESIS=random draws new examples each
# run (with the example database), for a search beyond the fixed set.
from hypothesis import settings as _settings  # noqa: E402

_settings.register_profile("fixed", derandomize=True, database=None)
_settings.register_profile("random", derandomize=False)
_settings.load_profile("fixed" if os.environ.get("SYMCONV_HYPOTHESIS", "fixed") != "random" else "random")
