namespace Repro.Data.Missing;

/// <summary>
/// A dataset seen through a <see cref="ModalityMask"/>: masked modalities are null (missing) in every sample. Training
/// samples (SampleMode.Train) carry the hidden inputs in <see cref="Sample.Withheld"/> for the baselines whose published
/// losses use them; evaluation samples never do.
/// </summary>
public sealed class MaskedDataset : IMultimodalDataset, IPrecomputable
{
    readonly IMultimodalDataset _inner;

    public MaskedDataset(IMultimodalDataset inner, ModalityMask mask)
    {
        if (mask.Count != inner.Count)
            throw new ArgumentException($"Mask ({mask.Protocol}) has {mask.Count} rows; dataset {inner.Info.Name} has {inner.Count} samples.");
        foreach (var m in mask.Modalities) inner.Info.Modality(m);
        _inner = inner;
        Mask = mask;
    }

    public ModalityMask Mask { get; }
    public IMultimodalDataset Inner => _inner;
    public DatasetInfo Info => _inner.Info;

    public void Precompute(IProgress<(int Done, int Total)>? progress = null) => (_inner as IPrecomputable)?.Precompute(progress);
    public int Count => _inner.Count;
    public int LabelOf(int index) => _inner.LabelOf(index);

    public Sample Get(int index, SampleMode mode, ulong seed)
    {
        var s = _inner.Get(index, mode, seed);
        var inputs = new Dictionary<string, TorchSharp.torch.Tensor?>(s.Inputs);
        Dictionary<string, TorchSharp.torch.Tensor>? withheld = null;
        foreach (var m in Mask.Modalities)
            if (!Mask.Has(index, m))
            {
                if (mode == SampleMode.Train && inputs[m] is { } hidden) (withheld ??= new())[m] = hidden;
                inputs[m] = null;
            }
        return new Sample { Index = s.Index, Id = s.Id, Inputs = inputs, Label = s.Label, Targets = s.Targets, Withheld = withheld };
    }
}
