using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Fusion;

/// <summary>
/// The Multimodal Transfer Module (Joze, Shaban, Iuzzolino and Koishida, CVPR 2020, §3.1), between two streams' feature
/// maps A (B, C_A, ...) and B (B, C_B, ...), which may differ in spatial size:
/// squeeze S_A = the mean of A over every position (S_B likewise); joint Z = ReLU(fc_squeeze([S_A, S_B])), with
/// fc_squeeze = Linear(C_A + C_B, C_Z), C_Z = int(2 (C_A + C_B) / ratio); excitation E_A = fc_visual(Z) (C_A values),
/// E_B = fc_skeleton(Z) (C_B values); output A * g(E_A), B * g(E_B), each channel scaled by its gate, g = 2 sigmoid (the
/// paper) or sigmoid (the official code), <see cref="MmtmGate"/>. Field names are the official module's (haamoon/mmtm
/// mmtm.py, copied by shicaiwei123/ICCV2025-GDL models/mmtm_net.py), written for visual and skeleton streams:
/// fc_visual excites the first stream (audio in DGL's CREMA-D network), fc_skeleton the second.
/// </summary>
public sealed class Mmtm : nn.Module<Tensor, Tensor, (Tensor A, Tensor B)>
{
    readonly Linear fc_squeeze;
    readonly Linear fc_visual;
    readonly Linear fc_skeleton;
    readonly MmtmGate _gate;

    public Mmtm(long channelsA, long channelsB, int ratio = 2, MmtmGate gate = MmtmGate.Paper) : base(nameof(Mmtm))
    {
        if (ratio < 1) throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "MMTM's ratio must be at least 1.");
        long dim = channelsA + channelsB;
        long squeezed = (long)(2.0 * dim / ratio);
        fc_squeeze = nn.Linear(dim, squeezed);
        fc_visual = nn.Linear(squeezed, channelsA);
        fc_skeleton = nn.Linear(squeezed, channelsB);
        _gate = gate;
        RegisterComponents();
    }

    public override (Tensor A, Tensor B) forward(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var z = nn.functional.relu(fc_squeeze.call(cat([Squeeze(a), Squeeze(b)], 1)));
        var outA = a * Broadcast(Gate(fc_visual.call(z)), a);
        var outB = b * Broadcast(Gate(fc_skeleton.call(z)), b);
        return (outA.MoveToOuterDisposeScope(), outB.MoveToOuterDisposeScope());
    }

    /// <summary>S: (B, C) means of a (B, C, ...) map over every position.</summary>
    static Tensor Squeeze(Tensor map)
    {
        if (map.dim() < 3) throw new ArgumentException($"MMTM expects feature maps (B, C, ...), got ({string.Join(", ", map.shape)}).");
        return map.flatten(2).mean([2]);
    }

    Tensor Gate(Tensor e)
    {
        var s = sigmoid(e);
        return _gate == MmtmGate.Paper ? s + s : s;
    }

    /// <summary>(B, C) gates as (B, C, 1, ...) to scale every position of <paramref name="map"/>.</summary>
    static Tensor Broadcast(Tensor gate, Tensor map) =>
        gate.view([.. gate.shape, .. Enumerable.Repeat(1L, (int)map.dim() - 2)]);
}
