using System.Text.Json;
using System.Text.Json.Nodes;
using Repro.Methods;
using Repro.Training;

namespace Repro.Experiments.Executors;

/// <summary>
/// One run as a file, for a process that trains it alone (<c>repro train --spec FILE</c>: a local job or a Slurm task):
/// <c>{"key": ..., "spec": ...}</c> with the spec exactly as a finished run's run.json stores it. Reading rebuilds the
/// spec and checks that it computes the same key, so a task trains the very run that was planned, or refuses.
/// </summary>
public static class RunSpecFile
{
    public static void Write(string path, RunSpec spec) =>
        AtomicFile.WriteAllText(path, new JsonObject { ["key"] = spec.Key, ["spec"] = spec.ToJson() }.ToJsonString(Json.Options));

    public static RunSpec Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: run spec file not found (--spec).", path);
        JsonObject file;
        try { file = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: expected a JSON object with 'key' and 'spec'."); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not JSON ({e.Message}).", e); }
        var key = file["key"] is JsonValue k && k.TryGetValue<string>(out var s) ? s : throw new InvalidDataException($"{path}: field 'key' must be the run key (a string).");
        var spec = FromJson(file["spec"] as JsonObject ?? throw new InvalidDataException($"{path}: field 'spec' must be an object (a run.json's spec)."), path);
        if (spec.Key != key)
            throw new InvalidDataException($"{path}: field 'key' says {key}, but this build of the kit computes {spec.Key} for its spec " +
                                           "(the kit changed since the run was planned); plan the table again.");
        return spec;
    }

    /// <summary>
    /// The inverse of <see cref="RunSpec.ToJson"/>: the options are bound again from their identity (every option that
    /// differs from its default), each value as the command line would give it.
    /// </summary>
    public static RunSpec FromJson(JsonObject json, string source)
    {
        string Text(string field) => json[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s
            : throw new InvalidDataException($"{source}: spec field '{field}' must be a string.");
        T Parse<T>(string field, Func<JsonNode, T> get, string expected)
        {
            try { return get(json[field] ?? throw new InvalidOperationException()); }
            catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException or ArgumentException)
            {
                throw new InvalidDataException($"{source}: spec field '{field}' must be {expected}.", e);
            }
        }

        var options = json["options"] as JsonObject ?? throw new InvalidDataException($"{source}: spec field 'options' must be an object.");
        return new RunSpec
        {
            Dataset = Text("dataset"),
            DataRoot = json["dataRoot"] is null ? null : Text("dataRoot"),
            Profile = Parse("profile", n => Profile.Named(n.GetValue<string>()), $"a profile ({string.Join(", ", Profile.Names)})"),
            Method = Parse("options", _ => MethodRegistry.Resolve(Text("method"), options.Select(o => (o.Key, AsText(o.Value))).ToArray()),
                "the options of the method, as run.json holds them"),
            Seed = Parse("seed", n => n.GetValue<ulong>(), "a non-negative integer"),
            Selection = Parse("selection", n => n.Deserialize<Selection>(Json.Options), "validation, test-best or last"),
            Probes = json["probes"] is null ? new Dictionary<string, int>()
                : Parse("probes", n => n.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<int>()), "an object of probe name -> steps"),
            PresentSamples = json["presentSamples"] is null ? null : Text("presentSamples"),
        };
    }

    /// <summary>An identity value as command-line text: a list comma-joined, an object as JSON, a string or number as written.</summary>
    static string AsText(JsonNode? n) => n switch
    {
        JsonArray a => string.Join(",", a.Select(AsText)),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        null => "",
        _ => n.ToJsonString(),
    };
}
