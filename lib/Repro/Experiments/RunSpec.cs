using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Repro.Methods;

namespace Repro.Experiments;

/// <summary>
/// Everything that determines one training run: dataset (and its root, null for the stand-in), profile, method with
/// options, seed, and selection rule. Its key names the run's folder, so a finished run is found and reused. On a
/// stand-in whose recipe changed (<see cref="Datasets.StandIns.RecipeVersion"/> above 1), and for a method whose
/// training changed (<see cref="MethodAttribute.Version"/> above 1), the version is part of the identity, so runs of
/// the older stand-in or code are not reused. Under the dataset setting missing-files=drop, the digest of the present
/// sample ids is part of the identity too (<see cref="PresentSamples"/>), so copies with different holes never share a run.
/// </summary>
public sealed record RunSpec
{
    public required string Dataset { get; init; }
    public string? DataRoot { get; init; }
    /// <summary>The profile (its name is part of the identity).</summary>
    public required Profile Profile { get; init; }
    public required MethodSpec Method { get; init; }
    public ulong Seed { get; init; }
    public Training.Selection Selection { get; init; } = Training.Selection.Validation;
    /// <summary>Step probes to record, name -> sampling period in steps (none by default).</summary>
    public IReadOnlyDictionary<string, int> Probes { get; init; } = new Dictionary<string, int>();
    /// <summary>
    /// Under missing-files=drop, the digest of the present sample ids (<see cref="Datasets.MissingFiles.Digest"/>), filled in
    /// by <see cref="ExperimentRunner.Identify"/> from the opened data; null otherwise.
    /// </summary>
    public string? PresentSamples { get; init; }

    /// <summary>Whether the dataset id drops missing files, so that the identity needs <see cref="PresentSamples"/>.</summary>
    public bool DropsMissingFiles => Datasets.MissingFiles.PolicyOf(Dataset) == Data.MissingFilePolicy.Drop;

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["dataset"] = Dataset,
            ["dataRoot"] = DataRoot is null ? null : Path.GetFullPath(DataRoot),
            ["profile"] = Profile.Name,
            ["method"] = Method.Name,
            ["options"] = Method.IdentityJson(),
            ["seed"] = Seed,
            ["selection"] = JsonSerializer.SerializeToNode(Selection, Json.Options),
            ["probes"] = Probes.Count == 0 ? null : new JsonObject(Probes.OrderBy(p => p.Key).Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value))),
        };
        var id = Datasets.DatasetRef.Parse(Dataset).Id;
        if (DataRoot is null && Datasets.StandIns.RecipeVersion(id) is > 1 and var recipe) json["standIn"] = recipe; // only then: every earlier run keeps its identity
        if (DataRoot is not null && Datasets.DatasetRegistry.Find(id)?.RealDataVersion is > 1 and var reading) json["realData"] = reading;
        int methodVersion = MethodRegistry.VersionOf(Method.Name);
        if (methodVersion > 1) json["methodVersion"] = methodVersion;
        if (PresentSamples is not null) json["presentSamples"] = PresentSamples; // only under missing-files=drop: every other run keeps its identity
        return json;
    }

    /// <summary>A readable, unique folder name: method and options, seed, and a hash of the whole spec.</summary>
    public string Key
    {
        get
        {
            if (DropsMissingFiles && PresentSamples is null)
                throw new InvalidOperationException($"Run on {Dataset}: under missing-files=drop a run's identity holds the digest of the present samples; ExperimentRunner.Identify fills it in from the data.");
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson().ToJsonString())))[..10];
            var readable = new string(Method.Describe().Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : c == '=' ? '-' : '_').ToArray())
                .Replace("__", "_").Trim('_');
            return $"{readable}-seed{Seed}-{hash}";
        }
    }
}
