"""Quantization-aware training for Keras 3: fake quantizers with
straight-through gradients, QAT layers that fold batch norm, export of a
float window model whose weights sit on the quantizer grid, and tools to
compare quantizers and choose bit widths per layer."""
