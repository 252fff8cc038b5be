using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models;

/// <summary>
/// The official initialisation (MLA utils/utils.py weight_init, applied after construction; docs/official-code.md#mla-models):
/// Linear xavier_normal with zero bias; Conv2d kaiming_normal (fan_out, relu), its bias left as constructed; BatchNorm weight 1, bias 0.
/// Draws come from torch's global generator: seed it first.
/// </summary>
public static class WeightInit
{
    public static T Apply<T>(T model) where T : nn.Module
    {
        using var noGrad = no_grad();
        model.apply(m =>
        {
            switch (m)
            {
                case Linear lin:
                    nn.init.xavier_normal_(lin.weight!);
                    if (lin.bias is not null) nn.init.zeros_(lin.bias);
                    break;
                case Conv2d conv:
                    nn.init.kaiming_normal_(conv.weight!, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                    break;
                case BatchNorm bn:
                    nn.init.ones_(bn.weight!);
                    nn.init.zeros_(bn.bias!);
                    break;
            }
        });
        return model;
    }
}
