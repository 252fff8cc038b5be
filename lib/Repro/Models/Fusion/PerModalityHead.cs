using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Fusion;

/// <summary>
/// One Linear(d, C) per modality (fc_x, fc_y, ...); a modality's unimodal logits are its own layer with its full bias.
/// Subclasses say how the per-modality logits combine.
/// </summary>
public abstract class PerModalityHead : FusionHead
{
    readonly Linear[] _fcs;

    protected PerModalityHead(string name, IReadOnlyList<string> modalities, int featureDim, int numClasses)
        : base(name, modalities, featureDim, numClasses)
    {
        _fcs = new Linear[modalities.Count];
        for (int i = 0; i < modalities.Count; i++)
        {
            _fcs[i] = nn.Linear(featureDim, numClasses);
            register_module(PositionalName(i), _fcs[i]);
        }
    }

    public override Tensor Unimodal(string modality, IReadOnlyDictionary<string, Tensor> features) =>
        _fcs[IndexOf(modality)].call(features[modality]);
}
