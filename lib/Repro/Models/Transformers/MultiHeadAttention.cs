using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>
/// Scaled dot-product attention over projected queries, keys and values (B, N, d) split into heads:
/// softmax(Q K^T / sqrt(d_head) + mask) V, heads concatenated back to (B, N, d).
/// </summary>
public static class MultiHeadAttention
{
    /// <summary>
    /// The additive mask (B, 1, 1, N) for a keep-mask (B, N) of real tokens: 0 where kept, the dtype's minimum where
    /// padded (HF's convention, so a row whose keys are all padding stays finite).
    /// </summary>
    public static Tensor AdditiveMask(Tensor keep, ScalarType dtype)
    {
        var min = dtype == ScalarType.Float64 ? double.MinValue : float.MinValue;
        return where(keep, zeros(1, dtype: dtype, device: keep.device), full(1, min, dtype: dtype, device: keep.device))
            .unsqueeze(1).unsqueeze(1);
    }

    public static Tensor Compute(Tensor q, Tensor k, Tensor v, int heads, Tensor? additiveMask, double dropout, bool training)
    {
        using var scope = NewDisposeScope();
        long b = q.shape[0], n = q.shape[1], d = q.shape[2], dh = d / heads;
        Tensor Split(Tensor t) => t.view(b, t.shape[1], heads, dh).transpose(1, 2);
        var scores = Split(q).matmul(Split(k).transpose(-2, -1)) * (1.0 / Math.Sqrt(dh));
        if (additiveMask is not null) scores = scores + additiveMask;
        var p = nn.functional.softmax(scores, -1);
        if (dropout > 0) p = nn.functional.dropout(p, dropout, training);
        return p.matmul(Split(v)).transpose(1, 2).reshape(b, n, d).MoveToOuterDisposeScope();
    }
}
