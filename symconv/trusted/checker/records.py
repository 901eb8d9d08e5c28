"""Record certificates (stub)."""
from symconv.trusted.checker.common import Invalid


def check(cert):
    raise Invalid("not yet")
