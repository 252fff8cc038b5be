namespace Repro.Models.Fusion;

/// <summary>
/// The settings of an MMTM fusion (<see cref="MmtmFusion"/>): the squeeze layer's reduction <paramref name="Ratio"/>
/// (C_Z = int(2 (C_A + C_B) / ratio), the official constructor's formula), the channel gate, and whether the second
/// stream runs the first stream's layer3 and layer4 (DGL's mmtm_net.py assigns both streams the same modules).
/// </summary>
public sealed record MmtmSettings(int Ratio = 2, MmtmGate Gate = MmtmGate.Paper, bool SharedStages = false);
