using System.Text.Json;
using Repro.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>
/// Per-epoch checkpoints of one run in a folder: `epoch-NNNN/` holds the model (model.safetensors), the optimizer
/// state (optimizer.bin), the method's own state (method.safetensors) and the history so far (state.json).
/// Each epoch folder is written under a temporary name and renamed when complete, so a crash never leaves a
/// half-written checkpoint; older epochs are removed once a newer one is complete. The best model so far (by the
/// run's selection rule) is kept as best-model.safetensors.
/// </summary>
public sealed partial class Checkpoints
{
    public Checkpoints(string directory) => Directory = directory;

    public string Directory { get; }

    public sealed record State(int Epoch, string ConfigJson, List<EpochRecord> History, int BestEpoch, double BestScore);

    public void Save(ITrainable method, optim.Optimizer? optimizer, State state)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var name = $"epoch-{state.Epoch:D4}";
        var tmp = Path.Combine(Directory, name + ".tmp");
        if (System.IO.Directory.Exists(tmp)) System.IO.Directory.Delete(tmp, true);
        System.IO.Directory.CreateDirectory(tmp);
        Safetensors.Save(Path.Combine(tmp, "model.safetensors"), method.Model.state_dict());
        var extra = method.StateTensors();
        if (extra.Count > 0) Safetensors.Save(Path.Combine(tmp, "method.safetensors"), extra);
        // a fit stage has no optimizer
        if (optimizer is not null) ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(Path.Combine(tmp, "optimizer.bin"));
        File.WriteAllText(Path.Combine(tmp, "state.json"), JsonSerializer.Serialize(state, Json.Options));
        var final = Path.Combine(Directory, name);
        if (System.IO.Directory.Exists(final)) System.IO.Directory.Delete(final, true);
        System.IO.Directory.Move(tmp, final);
        foreach (var old in System.IO.Directory.GetDirectories(Directory, "epoch-*"))
            if (Path.GetFileName(old) != name) System.IO.Directory.Delete(old, true);
    }

    public void SaveBest(ITrainable method)
    {
        System.IO.Directory.CreateDirectory(Directory);
        Safetensors.Save(BestModelPath, method.Model.state_dict());
        var extra = method.StateTensors();
        if (extra.Count > 0) Safetensors.Save(BestMethodPath, extra);
    }

    public string BestModelPath => Path.Combine(Directory, "best-model.safetensors");
    /// <summary>The method's own state at the best epoch (QMF's history, MLA's fusion weights, ...), when it has any.</summary>
    public string BestMethodPath => Path.Combine(Directory, "best-method.safetensors");

    /// <summary>Restores the best epoch's model and method state (for evaluating a finished run on other test data).</summary>
    public void RestoreBest(ITrainable method)
    {
        if (!File.Exists(BestModelPath)) throw new FileNotFoundException($"{BestModelPath}: the run kept no selected model; run it again with --force.", BestModelPath);
        LoadModel(method.Model, BestModelPath);
        if (method.StateTensors().Count == 0) return;
        if (!File.Exists(BestMethodPath))
            throw new FileNotFoundException($"{BestMethodPath}: {method.Describe()} keeps state beside its model, and this run (from an older kit) did not save it for the best epoch; run it again with --force.", BestMethodPath);
        method.LoadStateTensors(Safetensors.Load(BestMethodPath));
    }

    /// <summary>The latest complete checkpoint, or null.</summary>
    public State? Latest()
    {
        if (!System.IO.Directory.Exists(Directory)) return null;
        var dir = System.IO.Directory.GetDirectories(Directory, "epoch-*").Where(d => !d.EndsWith(".tmp")).Order().LastOrDefault();
        if (dir is null) return null;
        var path = Path.Combine(dir, "state.json");
        return JsonSerializer.Deserialize<State>(File.ReadAllText(path), Json.Options)
               ?? throw new InvalidDataException($"{path}: empty checkpoint state.");
    }

    /// <summary>Restores model, optimizer and method state of <paramref name="state"/>'s epoch.</summary>
    public void Restore(ITrainable method, optim.Optimizer? optimizer, State state)
    {
        var dir = Path.Combine(Directory, $"epoch-{state.Epoch:D4}");
        LoadModel(method.Model, Path.Combine(dir, "model.safetensors"));
        var extra = Path.Combine(dir, "method.safetensors");
        if (File.Exists(extra)) method.LoadStateTensors(Safetensors.Load(extra));
        var opt = Path.Combine(dir, "optimizer.bin");
        if (optimizer is not null && File.Exists(opt)) ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(opt);
    }

    /// <summary>Loads a state dict saved by the kit into a model, refusing missing or unexpected tensors.</summary>
    public static void LoadModel(nn.Module model, string path)
    {
        var tensors = Safetensors.Load(path);
        DropBackingFieldDuplicates(tensors);
        var (missing, unexpected) = model.load_state_dict(tensors, strict: false);
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new InvalidDataException($"{path}: does not match the model (missing: {string.Join(", ", missing)}; unexpected: {string.Join(", ", unexpected)}).");
        foreach (var t in tensors.Values) t.Dispose();
    }

    /// <summary>
    /// U2A's token encoders made before 2026-12-07 registered their backbone twice, as <c>backbone</c> and as the
    /// compiler's backing field of an auto-property (<c>&lt;Backbone&gt;k__BackingField</c>), so their checkpoints hold each
    /// backbone tensor under both names. The second copy is dropped where the first is present, so those runs load.
    /// </summary>
    internal static void DropBackingFieldDuplicates(Dictionary<string, Tensor> tensors)
    {
        foreach (var key in tensors.Keys.Where(k => k.Contains(">k__BackingField.", StringComparison.Ordinal)).ToList())
        {
            var own = BackingField().Replace(key, m => char.ToLowerInvariant(m.Groups[1].Value[0]) + m.Groups[1].Value[1..]);
            if (own != key && tensors.ContainsKey(own) && tensors.Remove(key, out var duplicate)) duplicate.Dispose();
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"<(\w+)>k__BackingField")]
    private static partial System.Text.RegularExpressions.Regex BackingField();
}
