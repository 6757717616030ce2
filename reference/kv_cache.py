"""The KV cache of a decoder layer: bytes per token, per context, per batch.

Counting convention: for every token it has seen, a layer keeps one key and one value vector
of kv_dim = kv_heads x d_head elements each (d_model with one KV head per query head), so a
token costs 2 x kv_dim elements per layer, at ``bytes_per_element`` bytes each (2 for 16-bit).
A context of L tokens holds L such tokens; each sequence of a batch has its own cache. Nothing
else is counted (no padding, no block tables, no quantisation scales).
"""

from __future__ import annotations

from reference.argument_checks import positive_int
from reference.decoder_layer import DecoderLayer, checked_layer


def kv_bytes_per_token(*, layer: DecoderLayer, bytes_per_element: int) -> int:
    """Bytes of one token's key and value in one layer.

    >>> layer = DecoderLayer(d_model=4096, n_heads=32, d_ff=16384)
    >>> kv_bytes_per_token(layer=layer, bytes_per_element=2)  # 2 x 32 x 128 x 2
    16384
    """
    positive_int("bytes_per_element", bytes_per_element)
    return 2 * checked_layer(layer).kv_dim * bytes_per_element


def kv_cache_bytes(
    *,
    layer: DecoderLayer,
    context: int,
    bytes_per_element: int,
    batch: int = 1,
    layers: int = 1,
) -> int:
    """Bytes of the cache of ``batch`` sequences of ``context`` tokens, over ``layers`` layers.

    >>> layer = DecoderLayer(d_model=4096, n_heads=32, d_ff=16384)
    >>> kv_cache_bytes(layer=layer, context=2048, bytes_per_element=2)  # 2048 x 16384
    33554432
    >>> kv_cache_bytes(layer=layer, context=2048, bytes_per_element=2, batch=16)
    536870912
    """
    positive_int("context", context)
    positive_int("batch", batch)
    positive_int("layers", layers)
    per_token = kv_bytes_per_token(layer=layer, bytes_per_element=bytes_per_element)
    return layers * batch * context * per_token
