"""Sheet llm-inference-1, "LLM Inference on a Roofline" (tutorial sheet 2)."""
