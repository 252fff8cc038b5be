using System.Text.Json.Nodes;
using Repro.Parity;

namespace Repro.Methods.Dgl;

/// <summary>
/// DGL fixtures (`dgl-*`) replay the official main_dgl.py. Their gated head is the official module, whose fused path
/// detaches after fc_x/fc_y (so fc_x and fc_y never move): unless the fixture names `gated_detach`, the replay asks for
/// that official behaviour (`gated_detach=official`). The learning rates and drop_last of training come from the
/// fixture itself.
/// </summary>
public sealed class DglParity : ParityAdapter
{
    public override string Method => "dgl";

    public override JsonObject MethodOptions(ParityFixture fixture)
    {
        var options = base.MethodOptions(fixture);
        if (!options.ContainsKey("gated_detach")) options["gated_detach"] = "official";
        return options;
    }
}
