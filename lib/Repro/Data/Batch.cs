using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Data;

/// <summary>
/// A collated batch. Every modality of the dataset has an input tensor (B, ...); rows whose sample lacks the
/// modality hold zeros and are marked false in <see cref="Available"/>, so complete and incomplete samples mix freely.
/// Labels are (B) int64 for single-label data; <see cref="Targets"/> is (B, C) float32 multi-hot for multi-label data.
/// </summary>
public sealed class Batch
{
    public required IReadOnlyDictionary<string, Tensor> Inputs { get; init; }
    public required IReadOnlyDictionary<string, Tensor> Available { get; init; }
    public required Tensor Labels { get; init; }
    public Tensor? Targets { get; init; }
    public required Tensor Index { get; init; }
    public required string[] Ids { get; init; }
    /// <summary>
    /// Complete inputs (B, ...) per modality on training batches of a masked dataset: the observed input where
    /// available, the withheld true input where a mask hid it (<see cref="Sample.Withheld"/>). Null on evaluation
    /// batches and on unmasked data; <see cref="CompleteInputs"/> is the safe way to read them.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor>? Complete { get; init; }

    /// <summary>The complete inputs: <see cref="Complete"/>, or the inputs themselves when every row has every modality.</summary>
    public IReadOnlyDictionary<string, Tensor> CompleteInputs(string who)
    {
        if (Complete is not null) return Complete;
        foreach (var m in Inputs.Keys)
            if (!AllHave(m))
                throw new InvalidOperationException($"{who} needs the true features of missing modalities (training batches of a masked dataset carry them); this batch lacks '{m}' in some rows and has none.");
        return Inputs;
    }

    public int Size => Ids.Length;
    public IEnumerable<string> Modalities => Inputs.Keys;

    /// <summary>True when every row has modality <paramref name="m"/>.</summary>
    public bool AllHave(string m) => Available[m].all().item<bool>();

    /// <summary>Number of rows that have modality <paramref name="m"/>.</summary>
    public long CountWith(string m) => Available[m].sum().item<long>();

    /// <summary>Collates samples; missing inputs become zeros of the modality's shape.</summary>
    public static Batch Collate(IReadOnlyList<Sample> samples, DatasetInfo info)
    {
        if (samples.Count == 0) throw new ArgumentException("Cannot collate an empty batch.");
        var inputs = new Dictionary<string, Tensor>();
        var avail = new Dictionary<string, Tensor>();
        foreach (var spec in info.Modalities)
        {
            var rows = new Tensor[samples.Count];
            var flags = new bool[samples.Count];
            for (int i = 0; i < samples.Count; i++)
            {
                var t = samples[i].Inputs.GetValueOrDefault(spec.Name);
                flags[i] = t is not null;
                rows[i] = t ?? zeros(spec.Shape, spec.DType);
            }
            inputs[spec.Name] = stack(rows);
            avail[spec.Name] = tensor(flags);
        }
        Dictionary<string, Tensor>? complete = null;
        if (samples.Any(s => s.Withheld is not null))
        {
            complete = new();
            foreach (var spec in info.Modalities)
            {
                var rows = new Tensor[samples.Count];
                for (int i = 0; i < samples.Count; i++)
                    rows[i] = samples[i].Inputs.GetValueOrDefault(spec.Name)
                              ?? samples[i].Withheld?.GetValueOrDefault(spec.Name)
                              ?? zeros(spec.Shape, spec.DType);
                complete[spec.Name] = stack(rows);
            }
        }
        Tensor? targets = null;
        if (info.MultiLabel)
        {
            var flat = new float[samples.Count * info.NumClasses];
            for (int i = 0; i < samples.Count; i++)
            {
                var t = samples[i].Targets ?? throw new InvalidDataException($"Sample {samples[i].Id} of multi-label dataset {info.Name} has no targets.");
                Array.Copy(t, 0, flat, i * info.NumClasses, info.NumClasses);
            }
            targets = tensor(flat, [samples.Count, info.NumClasses]);
        }
        return new Batch
        {
            Inputs = inputs,
            Available = avail,
            Labels = tensor(samples.Select(s => (long)s.Label).ToArray()),
            Targets = targets,
            Index = tensor(samples.Select(s => s.Index).ToArray()),
            Ids = samples.Select(s => s.Id).ToArray(),
            Complete = complete,
        };
    }

    /// <summary>The same batch on another device.</summary>
    public Batch To(Device device) => device.type == DeviceType.CPU && Labels.device_type == DeviceType.CPU ? this : new Batch
    {
        Inputs = Inputs.ToDictionary(kv => kv.Key, kv => kv.Value.to(device)),
        Available = Available.ToDictionary(kv => kv.Key, kv => kv.Value.to(device)),
        Labels = Labels.to(device),
        Targets = Targets?.to(device),
        Index = Index.to(device),
        Ids = Ids,
        Complete = Complete?.ToDictionary(kv => kv.Key, kv => kv.Value.to(device)),
    };

    /// <summary>Every tensor of the batch, each once.</summary>
    public IEnumerable<Tensor> Tensors()
    {
        IEnumerable<Tensor> all = [.. Inputs.Values, .. Available.Values, Labels, Index, .. Complete?.Values ?? [], .. Targets is null ? [] : new[] { Targets }];
        return all.Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>();
    }

    /// <summary>
    /// The same batch with fresh handles in the calling thread's dispose scope, this batch's handles disposed: how a batch
    /// built on another thread (<see cref="BatchPrefetcher"/>) joins the scope of the step that uses it.
    /// </summary>
    public Batch Adopt()
    {
        var fresh = Tensors().ToDictionary(t => t, t => t.alias(), ReferenceEqualityComparer.Instance);
        foreach (var t in fresh.Keys) ((Tensor)t).Dispose();
        Tensor F(Tensor t) => fresh[t];
        return new Batch
        {
            Inputs = Inputs.ToDictionary(kv => kv.Key, kv => F(kv.Value)),
            Available = Available.ToDictionary(kv => kv.Key, kv => F(kv.Value)),
            Labels = F(Labels),
            Targets = Targets is null ? null : F(Targets),
            Index = F(Index),
            Ids = Ids,
            Complete = Complete?.ToDictionary(kv => kv.Key, kv => F(kv.Value)),
        };
    }

    /// <summary>A batch made directly from tensors (fixtures, synthetic tests). All modalities available unless given.</summary>
    public static Batch FromTensors(IReadOnlyDictionary<string, Tensor> inputs, Tensor labels, Tensor? index = null,
        IReadOnlyDictionary<string, Tensor>? available = null, Tensor? targets = null)
    {
        long n = labels.shape[0];
        return new Batch
        {
            Inputs = inputs,
            Available = available ?? inputs.ToDictionary(kv => kv.Key, _ => ones(n, ScalarType.Bool)),
            Labels = labels,
            Targets = targets,
            Index = index ?? arange(n, ScalarType.Int64),
            Ids = Enumerable.Range(0, (int)n).Select(i => i.ToString()).ToArray(),
        };
    }
}
