using System.Text.Json.Nodes;
using Repro.Parity;

namespace Repro.Methods.Dgl;

/// <summary>
/// DGL fixtures (`dgl-*`) replay the official main_dgl.py with the official *_DGL modules. Their gated head's fused path
/// detaches after fc_x/fc_y (so fc_x and fc_y never move), and their sum and gated heads give the modules' own
/// unimodal branches rather than the paper's zeroed-input form: unless the fixture names them, the replay asks for both
/// official behaviours (`gated_detach=official`, `unimodal_logits=official`). The learning rates and drop_last of
/// training come from the fixture itself.
/// </summary>
public sealed class DglParity : ParityAdapter
{
    public override string Method => "dgl";

    public override JsonObject MethodOptions(ParityFixture fixture)
    {
        var options = base.MethodOptions(fixture);
        if (!options.ContainsKey("gated_detach")) options["gated_detach"] = "official";
        if (!options.ContainsKey("unimodal_logits")) options["unimodal_logits"] = "official";
        return options;
    }
}
