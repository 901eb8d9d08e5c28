"""The claims of the notes as proof obligations (data only: importing runs nothing).

One module per section of the notes; each has a module-level ``OBLIGATIONS`` list.
"""

from symconv.engine.obligation import collect

from . import (
    convolution,
    crosscorrelation,
    deep_learning,
    differentiation,
    fourier,
    groups,
)

__all__ = ["SECTIONS", "EXTENSIONS", "all_obligations"]

#: The notes' sections, in order.
SECTIONS = (differentiation, convolution, crosscorrelation, deep_learning)
#: Beyond the notes: the Fourier transform and the larger language; other groups.
EXTENSIONS = (fourier, groups)


def all_obligations():
    """Every obligation of the notes (in the notes' order) and of the extensions after them;
    duplicate ids are an error."""
    return collect(*(section.OBLIGATIONS for section in SECTIONS + EXTENSIONS))
