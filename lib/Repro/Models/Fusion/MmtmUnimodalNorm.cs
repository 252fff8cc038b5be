using Repro.Methods;

namespace Repro.Models.Fusion;

/// <summary>
/// How the BatchNorm of layer3 and layer4 treats a unimodal pass of <see cref="MmtmFusion"/> (the other stream zeroed)
/// while training. The DGL paper does not say; its network (models/mmtm_net.py) runs such a pass in training mode.
/// </summary>
public enum MmtmUnimodalNorm
{
    [Choice("batch", "normalise by the batch's statistics and leave the running ones as the fused passes make them")]
    Batch,
    [Choice("running", "normalise by the running statistics and leave them unchanged, as at test time")]
    Running,
    [Choice("official", "normalise by the batch's statistics and update the running ones, the zeroed stream's included (MMTM_Net in training mode)")]
    Official,
}
