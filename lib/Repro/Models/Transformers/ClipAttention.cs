using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>HF CLIPAttention: <c>q_proj</c>, <c>k_proj</c>, <c>v_proj</c>, multi-head attention, <c>out_proj</c>.</summary>
public sealed class ClipAttention : nn.Module
{
    nn.Module<Tensor, Tensor> q_proj;
    nn.Module<Tensor, Tensor> k_proj;
    nn.Module<Tensor, Tensor> v_proj;
    nn.Module<Tensor, Tensor> out_proj;
    readonly int _heads;
    readonly double _dropout;

    public ClipAttention(TransformerConfig c, Device? device = null) : base(nameof(ClipAttention))
    {
        q_proj = nn.Linear(c.HiddenSize, c.HiddenSize, device: device);
        k_proj = nn.Linear(c.HiddenSize, c.HiddenSize, device: device);
        v_proj = nn.Linear(c.HiddenSize, c.HiddenSize, device: device);
        out_proj = nn.Linear(c.HiddenSize, c.HiddenSize, device: device);
        _heads = c.Heads;
        _dropout = c.AttentionDropout;
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor? additiveMask) =>
        out_proj.call(MultiHeadAttention.Compute(q_proj.call(x), k_proj.call(x), v_proj.call(x), _heads, additiveMask, _dropout, training));
}
