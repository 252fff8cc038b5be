using Repro.Methods;
using Repro.Models.Fusion;
using static TorchSharp.torch;

namespace Repro.Parity;

/// <summary>
/// DGL fixtures (`dgl-*`) replay the official main_dgl.py. Their gated head is the official module, whose fused path
/// detaches after fc_x/fc_y (so fc_x and fc_y never move): unless the fixture names `gated_detach`, the replay turns
/// that official behaviour on. The learning rates and drop_last of training come from the fixture itself.
/// </summary>
public sealed class DglParity : ParityAdapter
{
    public override string Method => "dgl";

    public override void Prepare(ParityFixture fixture, Dictionary<string, Tensor> tensors, Method method)
    {
        if (method is Dgl { DglHead: GatedFusionDgl gated } && !fixture.Options.ContainsKey("gated_detach"))
            gated.OfficialDetach = true;
    }
}
