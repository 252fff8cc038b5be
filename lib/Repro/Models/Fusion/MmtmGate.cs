using Repro.Methods;

namespace Repro.Models.Fusion;

/// <summary>How MMTM turns its excitation signal E into the channel gate that multiplies a stream's feature map.</summary>
public enum MmtmGate
{
    [Choice("paper", "2 sigmoid(E), a gate in (0, 2) that can amplify a channel as well as suppress it (Joze et al., CVPR 2020, §3.1)")]
    Paper,
    [Choice("official", "sigmoid(E), a gate in (0, 1) (the MMTM authors' mmtm.py and DGL's models/mmtm_net.py)")]
    Official,
}
