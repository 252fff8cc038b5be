using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Native;

/// <summary>
/// Loads published weights (safetensors) into a module by name: only the file's tensors under the options' prefix are
/// read, renamed as the options say, and matched against the module's state dict. Every missing, unexpected or
/// mis-shaped tensor is named; with any of them the load is refused before anything is copied, unless
/// <see cref="WeightLoadOptions.AllowMismatch"/> is set, in which case the matching tensors are copied and the report
/// lists the rest. Values are converted to the module's element type (F16/BF16 checkpoints into F32 modules).
/// </summary>
public static class WeightLoader
{
    public static WeightLoadReport Load(nn.Module module, string path, WeightLoadOptions? options = null)
    {
        options ??= new WeightLoadOptions();
        var prefix = options.Prefix;
        var header = Safetensors.ReadHeader(path);
        if (prefix.Length > 0 && !header.Names.Any(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var roots = header.Names.Select(n => n.Split('.')[0] + ".").Distinct().Take(8);
            throw new InvalidDataException($"{path}: no tensor name starts with '{prefix}', the sub-tree this model loads from; the file's names start with {string.Join(", ", roots)}.");
        }

        var target = module.state_dict();
        var fileToModule = new Dictionary<string, string>(StringComparer.Ordinal);
        var unexpected = new List<string>();
        var mismatched = new List<ShapeMismatch>();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in header.Tensors)
        {
            if (!e.Name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var name = options.Rename(e.Name[prefix.Length..]);
            if (!target.TryGetValue(name, out var t))
            {
                if (!options.IsIgnoredUnexpected(name)) unexpected.Add(e.Name);
                continue;
            }
            if (!claimed.Add(name))
                throw new InvalidDataException($"{path}: two tensors of the file map to module tensor '{name}' after renaming (e.g. both LayerNorm.gamma and LayerNorm.weight).");
            if (!t.shape.SequenceEqual(e.Shape)) mismatched.Add(new ShapeMismatch(name, e.Name, t.shape, e.Shape));
            else fileToModule[e.Name] = name;
        }
        var missing = target.Keys.Where(n => !claimed.Contains(n) && !options.IsIgnoredMissing(n)).ToList();
        var report = new WeightLoadReport(path, prefix, fileToModule.Values.ToList(), missing, unexpected, mismatched);
        if (!report.IsComplete && !options.AllowMismatch)
            throw new InvalidDataException($"{report.Describe()}. The checkpoint does not fit the model; use the right file, or allow the mismatch explicitly to load only what matches.");

        var tensors = Safetensors.Load(path, fileToModule.ContainsKey);
        try
        {
            using var noGrad = no_grad();
            foreach (var (fileName, name) in fileToModule)
                target[name].copy_(tensors[fileName]);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
        return report;
    }

    /// <summary>Writes a module's state dict with every name under <paramref name="prefix"/> (the published layout).</summary>
    public static void Save(nn.Module module, string path, string prefix = "", IReadOnlyDictionary<string, string>? metadata = null)
    {
        var state = module.state_dict().ToDictionary(kv => prefix + kv.Key, kv => kv.Value);
        Safetensors.Save(path, state, metadata ?? new Dictionary<string, string> { ["format"] = "pt" });
    }
}
