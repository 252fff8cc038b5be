using System.Text.Json;
using System.Text.Json.Nodes;

namespace Repro.Parity;

/// <summary>
/// A parity fixture's recipe (NAME.json beside NAME.safetensors): numbers the official code of a method produced on a
/// tiny model, with everything needed to replay them. Every size and hyperparameter is read from here.
/// </summary>
public sealed class ParityFixture
{
    public required string Name { get; init; }
    public required string JsonPath { get; init; }
    public required string TensorsPath { get; init; }
    public required string Method { get; init; }
    public required JsonObject Options { get; init; }
    public required JsonObject Raw { get; init; }
    public string Encoder { get; init; } = "tinyconv";
    public int Channels { get; init; }
    public int FeatureDim { get; init; }
    public int Classes { get; init; }
    public int BatchSize { get; init; }
    public int Epochs { get; init; }
    public bool Shuffle { get; init; }
    public bool DropLast { get; init; }
    public double Atol { get; init; }
    public double Rtol { get; init; }
    public double LossAtol { get; init; } = 1e-4;
    public string[] LossColumns { get; init; } = [];
    public JsonObject? Optimizer { get; init; }

    public static ParityFixture Load(string jsonPath)
    {
        if (!File.Exists(jsonPath)) throw new FileNotFoundException($"{jsonPath}: parity fixture recipe not found.", jsonPath);
        JsonObject o;
        try { o = JsonNode.Parse(File.ReadAllText(jsonPath)) as JsonObject ?? throw new InvalidDataException("not a JSON object"); }
        catch (JsonException e) { throw new InvalidDataException($"{jsonPath}: not valid JSON ({e.Message}).", e); }

        string Req(string key) => o[key]?.GetValue<string>() ?? throw new InvalidDataException($"{jsonPath}: field '{key}' is missing.");
        var model = o["model"] as JsonObject;
        var tol = o["tolerance"] as JsonObject;
        var tensors = o["tensors"]?.GetValue<string>() ?? Path.GetFileNameWithoutExtension(jsonPath) + ".safetensors";
        return new ParityFixture
        {
            Name = o["name"]?.GetValue<string>() ?? Path.GetFileNameWithoutExtension(jsonPath),
            JsonPath = jsonPath,
            TensorsPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!, tensors),
            Method = Req("method"),
            Options = o["options"] as JsonObject ?? new JsonObject(),
            Raw = o,
            Encoder = model?["encoder"]?.GetValue<string>() ?? "tinyconv",
            Channels = Int(model, "channels"),
            FeatureDim = Int(model, "feature_dim"),
            Classes = Int(model, "classes"),
            BatchSize = Int(o, "batch_size"),
            Epochs = Int(o, "epochs"),
            Shuffle = o["shuffle"]?.GetValue<bool>() ?? false,
            DropLast = o["drop_last"]?.GetValue<bool>() ?? false,
            Atol = tol?["atol"]?.GetValue<double>() ?? 1e-5,
            Rtol = tol?["rtol"]?.GetValue<double>() ?? 1e-4,
            LossColumns = (o["loss_columns"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToArray() ?? [],
            Optimizer = o["optimizer"] as JsonObject,
        };

        int Int(JsonObject? obj, string key) => obj?[key] is JsonValue v ? (int)v.GetValue<double>() : 0;
    }

    /// <summary>Every *.json recipe in a folder (README and other files ignored), or the one file given.</summary>
    public static IReadOnlyList<string> Find(string path)
    {
        if (File.Exists(path)) return [path];
        if (!Directory.Exists(path)) throw new FileNotFoundException($"{path}: no such fixture file or folder.");
        return Directory.GetFiles(path, "*.json").Order(StringComparer.Ordinal).ToArray();
    }
}
