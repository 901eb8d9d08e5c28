"""The closing remark of §4.1: what the neural-network community calls convolution.

“What Neural Network community mean by Convolution is some form of Cross-Correlations.”
The layer checks run NumPy always and PyTorch when it is installed (the optional extra
``torch``); their verdict is ``checked`` either way, and the family says which
implementations were exercised. The remark itself is stated and proved for every finite
image and kernel on ℤ², with the layers with stride, dilation, padding and channels and
their gradients, in ``theorems/groups.py`` (``groups.layer.*``).
"""

from symconv.engine.obligation import Obligation
from symconv.routes.discrete.layers import DiscreteAdjoint, LayerIsConv, LayerIsXcorr

OBLIGATIONS = [
    Obligation(
        "dl.layer.xcorr",
        LayerIsXcorr(),
        "checked",
        source="§4.1, closing remark",
        title="a convolution layer computes the cross-correlation w⋆x (= w⁻*x)",
    ),
    Obligation(
        "dl.layer.not-conv",
        LayerIsConv(),
        "refuted",
        source="§4.1, closing remark",
        title="a convolution layer does not compute the convolution w*x",
    ),
    Obligation(
        "dl.adjoint.continuous",
        "inner(f⋆g, h) = inner(g, f*h)",
        "proved",
        source="§4.1 with §4.2: why backprop through a layer is a convolution",
        title="the adjoint of g ↦ f⋆g is h ↦ f*h",
    ),
    Obligation(
        "dl.adjoint.discrete",
        DiscreteAdjoint(),
        "checked",
        source="§4.1 with §4.2",
        title="the gradients of a layer: w*h for the input, h⋆x for the kernel",
    ),
]
