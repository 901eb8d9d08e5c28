"""The soundness fuzzer (tests/fuzz.py): statements true by construction are never
refuted, edits confirmed false by quadrature of the definitions are never proved, every
certificate passes the checker, every tampered certificate is rejected, nothing crashes.

Profiles: ``ci`` (the default: a fixed, small, derandomized run) and ``long`` for
campaigns, chosen with ``SYMCONV_FUZZ=long`` (and ``SYMCONV_FUZZ_EXAMPLES=N``). The
campaign runner with figures is ``benchmarks/fuzz_campaign.py``.
"""

import os

from fuzz import Tally, cases, examine
from hypothesis import HealthCheck, given, settings

PROFILE = os.environ.get("SYMCONV_FUZZ", "ci")
EXAMPLES = {"ci": 30, "long": int(os.environ.get("SYMCONV_FUZZ_EXAMPLES", "2000"))}[PROFILE]
SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=PROFILE == "ci",
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@SETTINGS
@given(cases())
def test_no_wrong_verdict_no_crash_and_every_certificate_checks(case):
    tally = Tally()
    examine(case, tally, timeout=30.0)
    assert tally.problems() == [], tally.problems()
