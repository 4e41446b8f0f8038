"""DeXposure forecasting model: training on a `dexposure export-training-set` directory
and ONNX export of the encoder and heads (docs/MODEL.md)."""

__all__ = ["dataset", "model", "metrics", "loop", "export"]
