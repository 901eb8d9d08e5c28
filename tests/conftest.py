import sys
from pathlib import Path

# the tests' own helpers (tests/numeric.py) are importable as top-level modules
sys.path.insert(0, str(Path(__file__).parent))
