using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Repro.Models.Encoders;

/// <summary>
/// The encoder of pre-extracted utterance features in MLA's appendix (IEMOCAP: "three FC layers, 128-d"), as GCNet's
/// baselines build it: FcClassifier(in, [128, 128], 128) = module: Linear(in, 128) -> ReLU -> Dropout -> Linear(128, 128)
/// -> ReLU -> Dropout, then fc_out = Linear(128, 128) (MMIN/GCNet models/networks/classifier.py; field names kept so
/// state dicts map). Dropout 0.5 as GCNet's training scripts use; input (B, in), output (B, 128).
/// </summary>
public sealed class FeatureMlp : Module<Tensor, Tensor>, IEncoder
{
    readonly Sequential module;
    readonly Linear fc_out;

    public int FeatureDim { get; }
    /// <summary>The size of the features it reads (512 audio, 1024 visual and text on IEMOCAP).</summary>
    public long InputDim { get; }

    public FeatureMlp(long inputDim, int hidden = 128, int featureDim = 128, double dropout = 0.5) : base(nameof(FeatureMlp))
    {
        module = Sequential(Linear(inputDim, hidden), ReLU(), Dropout(dropout), Linear(hidden, hidden), ReLU(), Dropout(dropout));
        fc_out = Linear(hidden, featureDim);
        FeatureDim = featureDim;
        InputDim = inputDim;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => fc_out.call(module.call(x));
}
