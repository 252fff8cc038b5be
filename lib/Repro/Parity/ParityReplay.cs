using System.Text.Json.Nodes;
using Repro.Data;
using Repro.Methods;
using Repro.Models.Encoders;
using Repro.Native;
using Repro.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Parity;

/// <summary>
/// Replays a parity fixture with the kit's own method implementation and trainer: rebuilds the tiny model from the
/// recipe, loads init/*, trains on data/* with the recipe's batches, learning rates and the official runtime's
/// zero_grad semantics (PyTorch &lt; 2.0: gradients zeroed, not removed), and compares the weights after every epoch
/// and the per-epoch mean losses with the official numbers.
/// Method families add name mappings, state checks or whole replays through a <see cref="ParityAdapter"/>.
/// </summary>
public static class ParityReplay
{
    static readonly string[] ModalityOrder = [Modalities.Audio, Modalities.Visual, Modalities.Text, Modalities.Image];

    /// <summary>True when the kit can replay fixtures of this method (a registered method, or an adapter with its own replay).</summary>
    public static bool Supports(string method) => MethodRegistry.Entries.Any(e => e.Name == method) || ParityAdapter.HasReplay(method);

    public static ParityReport Run(string jsonPath)
    {
        ParityFixture f;
        try { f = ParityFixture.Load(jsonPath); }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return new ParityReport { Fixture = Path.GetFileNameWithoutExtension(jsonPath), Method = "?", Error = e.Message };
        }
        if (!Supports(f.Method)) return new ParityReport { Fixture = f.Name, Method = f.Method, Implemented = false };
        using var scope = NewDisposeScope();
        using var kernels = Native.TorchRuntime.OneDnnOff();   // the kernels the fixtures' tolerances hold on
        try
        {
            var tensors = Safetensors.Load(f.TensorsPath);
            return ParityAdapter.For(f.Method).Replay(f, tensors) ?? ReplayTraining(f, tensors);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException)
        {
            return new ParityReport { Fixture = f.Name, Method = f.Method, Error = e.Message };
        }
    }

    static ParityReport ReplayTraining(ParityFixture f, Dictionary<string, Tensor> t)
    {
        // options.modalities may list more than the data (G-Blending lists its blended terms, "output" among them).
        var modalities = (f.Options["modalities"] as JsonArray)?.Select(n => n!.GetValue<string>()).Where(m => t.ContainsKey("data/" + m)).ToArray()
                         ?? ModalityOrder.Where(m => t.ContainsKey("data/" + m)).ToArray();
        var labels = Need(f, t, "data/label");
        var classes = Enumerable.Range(0, f.Classes).Select(i => $"class{i}").ToArray();
        var train = new TensorDataset(f.Name, modalities.ToDictionary(m => m, m => Need(f, t, "data/" + m)), labels, classes, t.GetValueOrDefault("data/index"));

        var adapter = ParityAdapter.For(f.Method);
        var parts = new ModelParts(modalities, m => BuildEncoder(f, m, t), f.Classes);
        var method = MethodRegistry.Create(MethodRegistry.Resolve(f.Method, adapter.MethodOptions(f), ignoreUnknown: true), parts);
        LoadWeights(f, method, t, "init/");
        adapter.Prepare(f, t, method);

        var opt = f.Optimizer ?? throw new InvalidDataException($"{f.JsonPath}: field 'optimizer' is missing.");
        var lrs = (opt["lr_per_epoch"] as JsonArray)?.Select(n => n!.GetValue<double>()).ToArray()
                  ?? throw new InvalidDataException($"{f.JsonPath}: field 'optimizer.lr_per_epoch' is missing.");
        var config = adapter.Configure(f, new TrainConfig
        {
            Epochs = f.Epochs,
            BatchSize = f.BatchSize,
            Optimizer = opt["type"]?.GetValue<string>() ?? "sgd",
            Lr = LrSchedule.Explicit(lrs),
            Momentum = opt["momentum"]?.GetValue<double>() ?? 0,
            WeightDecay = opt["weight_decay"]?.GetValue<double>() ?? 0,
            Selection = Selection.Last,
            GradReset = GradReset.Zero,
            ShuffleTrain = f.Shuffle,
            DropLastTrain = f.DropLast,
            EvaluateTestEachEpoch = false,
        });

        var weightErr = new List<double>();
        var weightRatio = new List<double>();
        string? worst = null;
        double worstRatio = -1;
        var trainer = new Trainer
        {
            Config = config,
            AfterEpoch = (rec, _) =>
            {
                var (err, ratio, name) = CompareWeights(f, method, t, $"epoch{rec.Epoch + 1}/");
                weightErr.Add(err);
                weightRatio.Add(ratio);
                if (ratio > worstRatio) { worstRatio = ratio; worst = $"epoch{rec.Epoch + 1}/{name}"; }
            },
        };
        var loader = new DataLoader(train, f.BatchSize, f.Shuffle, SampleMode.Train, 0, config.DropLastTrain);
        var result = trainer.Fit(method, loader, HeldOut(f, t, modalities, classes), null);

        var lossErr = new List<double>();
        if (f.LossColumns.Length > 0)
        {
            var means = Need(f, t, "loss/epoch_means").to_type(ScalarType.Float64);
            foreach (var rec in result.History)
            {
                double e = 0;
                for (int j = 0; j < f.LossColumns.Length; j++)
                {
                    if (!rec.TrainLosses.TryGetValue(adapter.LossColumn(f.LossColumns[j]), out var ours))
                        throw new InvalidOperationException($"{f.Name}: the kit's {f.Method} does not log '{adapter.LossColumn(f.LossColumns[j])}' (logs {string.Join(", ", rec.TrainLosses.Keys)}).");
                    e = Math.Max(e, Math.Abs(ours - means[rec.Epoch, j].item<double>()));
                }
                lossErr.Add(e);
            }
        }
        var extra = adapter.CheckState(f, t, method);
        return new ParityReport
        {
            Fixture = f.Name, Method = f.Method, WeightError = weightErr, WeightRatio = weightRatio,
            LossError = lossErr, Extra = extra, WorstTensor = worst, LossAtol = f.LossAtol,
        };
    }

    /// <summary>
    /// The fixture's held-out set (`val/*` or `data/val_*`, parity/README.md "Tensors"), batched like training, in order,
    /// last partial batch kept; the methods that measure on a held-out set (D&amp;R, G-Blending) get it as the validation loader.
    /// </summary>
    static DataLoader? HeldOut(ParityFixture f, IReadOnlyDictionary<string, Tensor> t, string[] modalities, string[] classes)
    {
        foreach (var prefix in new[] { "val/", "data/val_" })
        {
            if (!t.TryGetValue(prefix + "label", out var labels)) continue;
            var inputs = modalities.ToDictionary(m => m, m => Need(f, t, prefix + m));
            var set = new TensorDataset(f.Name + "/val", inputs, labels, classes, t.GetValueOrDefault(prefix + "index"));
            return new DataLoader(set, f.BatchSize, false, SampleMode.Eval, 0);
        }
        return null;
    }

    /// <summary>The recipe's tiny encoder for a modality (parity/README.md "The tiny model").</summary>
    public static nn.Module<Tensor, Tensor> BuildEncoder(ParityFixture f, string modality, IReadOnlyDictionary<string, Tensor> t)
    {
        if (f.Encoder != "tinyconv") throw new InvalidDataException($"{f.JsonPath}: encoder '{f.Encoder}' is not one the kit rebuilds (tinyconv).");
        return modality switch
        {
            Modalities.Audio => new TinyConv(1, f.Channels, f.FeatureDim, frames: false),
            Modalities.Visual => new TinyConv(3, f.Channels, f.FeatureDim, frames: true),
            Modalities.Image => new TinyConv(3, f.Channels, f.FeatureDim, frames: false),
            Modalities.Text => new TinyMlp(Need(f, t, "data/text").shape[1], f.Channels, f.FeatureDim),
            _ => throw new InvalidDataException($"{f.JsonPath}: no tiny encoder for modality '{modality}'."),
        };
    }

    /// <summary>Copies the fixture's tensors under <paramref name="prefix"/> into the model; every model tensor must be covered.</summary>
    public static void LoadWeights(ParityFixture f, Method method, IReadOnlyDictionary<string, Tensor> t, string prefix)
    {
        var state = method.Model.state_dict();
        var covered = new HashSet<string>();
        using var noGrad = no_grad();
        foreach (var (name, value) in t.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var kit = ParityAdapter.For(f.Method).MapName(name[prefix.Length..]);
            if (!state.TryGetValue(kit, out var target))
                throw new InvalidDataException($"{f.Name}: fixture tensor {name} has no counterpart '{kit}' in the kit's {f.Method} model.");
            if (!target.shape.SequenceEqual(value.shape))
                throw new InvalidDataException($"{f.Name}: {name} has shape ({string.Join(",", value.shape)}), the kit's {kit} ({string.Join(",", target.shape)}).");
            target.copy_(value);
            covered.Add(kit);
        }
        var missing = state.Keys.Where(k => !covered.Contains(k) && !k.EndsWith("num_batches_tracked")).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{f.Name}: the fixture gives no {prefix}* value for the kit's {string.Join(", ", missing)}.");
    }

    static (double MaxErr, double MaxRatio, string Worst) CompareWeights(ParityFixture f, Method method, IReadOnlyDictionary<string, Tensor> t, string prefix)
    {
        var state = method.Model.state_dict();
        double maxErr = 0, maxRatio = 0;
        string worst = "";
        using var scope = NewDisposeScope();
        foreach (var (name, official) in t.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var kit = ParityAdapter.For(f.Method).MapName(name[prefix.Length..]);
            if (!state.TryGetValue(kit, out var ours))
                throw new InvalidDataException($"{f.Name}: fixture tensor {name} has no counterpart '{kit}' in the kit's model.");
            var o = official.to_type(ScalarType.Float64);
            var diff = (ours.detach().to_type(ScalarType.Float64) - o).abs();
            double err = diff.max().item<double>();
            double ratio = (diff / (f.Atol + f.Rtol * o.abs())).max().item<double>();
            maxErr = Math.Max(maxErr, err);
            if (ratio > maxRatio) { maxRatio = ratio; worst = kit; }
        }
        return (maxErr, maxRatio, worst);
    }

    public static Tensor Need(ParityFixture f, IReadOnlyDictionary<string, Tensor> t, string name) =>
        t.TryGetValue(name, out var v) ? v : throw new InvalidDataException($"{f.TensorsPath}: tensor '{name}' is missing.");
}
