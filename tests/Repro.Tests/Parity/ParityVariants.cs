using System.Text.Json.Nodes;
using Repro.Parity;

namespace Repro.Tests.Parity;

/// <summary>Copies of a parity fixture's recipe with one change, pointing at the original tensors.</summary>
public static class ParityVariants
{
    /// <summary>tests/fixtures/parity/NAME.json changed by <paramref name="edit"/>, written to a temporary folder; returns its path.</summary>
    public static string Copy(string fixture, Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.Parity, fixture + ".json")))!.AsObject();
        json["tensors"] = Path.Combine(TestPaths.Parity, fixture + ".safetensors");
        edit(json);
        var path = Path.Combine(TestPaths.TempDir("parity-variant"), fixture + "-variant.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    /// <summary>The fixture replayed with options[<paramref name="key"/>] = <paramref name="value"/>.</summary>
    public static ParityReport ReplayWith(string fixture, string key, JsonNode value) =>
        ParityReplay.Run(Copy(fixture, json => json["options"]![key] = value));
}
