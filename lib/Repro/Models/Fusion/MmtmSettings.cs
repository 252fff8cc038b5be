namespace Repro.Models.Fusion;

/// <summary>
/// The settings of an MMTM fusion (<see cref="MmtmFusion"/>): the squeeze layer's reduction <paramref name="Ratio"/>
/// (C_Z = int(2 (C_A + C_B) / ratio), the official constructor's formula), the channel gate, whether the second
/// stream runs the first stream's layer3 and layer4 (DGL's mmtm_net.py assigns both streams the same modules), and how
/// BatchNorm treats a unimodal pass while training.
/// </summary>
public sealed record MmtmSettings(int Ratio = 2, MmtmGate Gate = MmtmGate.Paper, bool SharedStages = false,
    MmtmUnimodalNorm UnimodalNorm = MmtmUnimodalNorm.Batch);
