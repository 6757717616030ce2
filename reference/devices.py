"""Published figures of real accelerators, for sheets that name a device.

Each figure is quoted as its maker publishes it, with the document it comes from. The peak is
the dense 16-bit (FP16/BF16) Tensor Core rate: datasheets also print a rate "with sparsity"
(2:4 structured sparsity), twice as high, which a dense matrix product never reaches. The
bandwidth is the HBM bandwidth. Rates are in base units: FLOP/s and byte/s (decimal prefixes:
1 TFLOP/s = 1e12 FLOP/s, 1 GB/s = 1e9 byte/s).
"""

from __future__ import annotations

from dataclasses import dataclass

from reference.argument_checks import positive_number


@dataclass(frozen=True, kw_only=True)
class Device:
    """An accelerator's roofline: dense 16-bit peak, memory bandwidth, and their source.

    >>> A100_SXM4_80GB.ridge_point  # 312e12 / 2039e9  # doctest: +ELLIPSIS
    153.016...
    """

    name: str
    peak: float
    bandwidth: float
    source: str

    def __post_init__(self) -> None:
        positive_number("peak", self.peak)
        positive_number("bandwidth", self.bandwidth)

    @property
    def ridge_point(self) -> float:
        """Peak / bandwidth, in FLOP/byte."""
        return self.peak / self.bandwidth


A100_SXM4_80GB = Device(
    name="NVIDIA A100 80GB SXM",
    peak=312e12,
    bandwidth=2039e9,
    source=(
        "NVIDIA A100 Tensor Core GPU datasheet, column A100 80GB SXM: FP16 Tensor Core "
        "312 TFLOPS (624 TFLOPS with sparsity), GPU memory bandwidth 2,039 GB/s"
    ),
)
"""The device of sheet llm-inference-1."""

H100_SXM5_80GB = Device(
    name="NVIDIA H100 SXM5 80GB",
    peak=989.4e12,
    bandwidth=3.35e12,
    source=(
        "NVIDIA H100 Tensor Core GPU Architecture whitepaper, H100 SXM5: peak FP16 Tensor "
        "989.4 TFLOPS dense (1978.9 with sparsity); NVIDIA H100 datasheet, H100 SXM: GPU "
        "memory bandwidth 3.35 TB/s"
    ),
)
"""A second device, for variants of the sheet."""

DEVICES: dict[str, Device] = {
    "a100-sxm4-80gb": A100_SXM4_80GB,
    "h100-sxm5-80gb": H100_SXM5_80GB,
}
"""Devices by short id."""
