using System.Text.Json;
using System.Text.Json.Nodes;

namespace Repro.Notebooks;

/// <summary>
/// Checks notebooks. <see cref="ValidateFormat(string)"/> checks the JSON of an .ipynb file against the essentials of
/// the nbformat 4.5 schema (required and allowed keys of the notebook, cells and outputs, types, cell ids, execution
/// counts, MIME bundles); <see cref="ValidatePolyglot"/> checks the C# Polyglot metadata; <see cref="Validate"/> does
/// both. Each returns a list of problems, empty when the notebook passes.
/// </summary>
public static class NotebookValidator
{
    /// <summary>nbformat 4.5 structure of the JSON this notebook writes (which generates missing cell ids, see
    /// <see cref="Notebook.ToJsonNode"/>; check a file's own text with <see cref="ValidateFormat(string)"/>) and its
    /// C# Polyglot metadata.</summary>
    public static IReadOnlyList<string> Validate(Notebook notebook) =>
        [.. ValidateFormat(notebook.ToJsonNode()), .. ValidatePolyglot(notebook)];

    /// <summary>nbformat 4.5 structure of an .ipynb text.</summary>
    public static IReadOnlyList<string> ValidateFormat(string json)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException e) { return [$"not valid JSON: {e.Message}"]; }
        return ValidateFormat(root);
    }

    /// <summary>nbformat 4.5 structure of a parsed .ipynb.</summary>
    public static IReadOnlyList<string> ValidateFormat(JsonNode? root)
    {
        var p = new List<string>();
        if (root is not JsonObject nb) { p.Add("the top level is not an object"); return p; }
        Keys(p, "notebook", nb, required: ["metadata", "nbformat_minor", "nbformat", "cells"], allowed: null, closed: true);
        if (!IsInt(nb["nbformat"], out var major) || major != 4) p.Add("nbformat must be the integer 4");
        if (!IsInt(nb["nbformat_minor"], out var minor) || minor < 5) p.Add("nbformat_minor must be an integer >= 5 (4.5 needs cell ids)");
        if (nb["metadata"] is JsonObject md)
        {
            if (md["kernelspec"] is { } ks)
            {
                if (ks is not JsonObject kso) p.Add("metadata.kernelspec must be an object");
                else
                {
                    if (!IsString(kso["name"])) p.Add("metadata.kernelspec.name must be a string");
                    if (!IsString(kso["display_name"])) p.Add("metadata.kernelspec.display_name must be a string");
                }
            }
            if (md["language_info"] is { } li && (li is not JsonObject lio || !IsString(lio["name"])))
                p.Add("metadata.language_info must be an object with a string name");
        }
        else if (nb.ContainsKey("metadata")) p.Add("metadata must be an object");

        if (nb["cells"] is not JsonArray cells) { if (nb.ContainsKey("cells")) p.Add("cells must be an array"); return p; }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < cells.Count; i++)
        {
            var where = $"cell {i + 1}";
            if (cells[i] is not JsonObject c) { p.Add($"{where} is not an object"); continue; }
            var type = c["cell_type"] is JsonValue tv && tv.TryGetValue<string>(out var t) ? t : null;
            where += $" ({type ?? "?"})";
            if (c["id"] is not JsonValue idv || !idv.TryGetValue<string>(out var id)) p.Add($"{where}: id is missing (required by nbformat 4.5)");
            else if (!Notebook.IsValidCellId(id)) p.Add($"{where}: id '{id}' does not match ^[a-zA-Z0-9-_]+$ with 1-64 characters");
            else if (!ids.Add(id)) p.Add($"{where}: id '{id}' is not unique");
            if (c["metadata"] is not JsonObject) p.Add($"{where}: metadata must be an object");
            if (!IsMultiline(c["source"])) p.Add($"{where}: source must be a string or an array of strings");
            switch (type)
            {
                case CellTypes.Code:
                    Keys(p, where, c, required: ["id", "cell_type", "metadata", "source", "outputs", "execution_count"], allowed: null, closed: true);
                    if (!IsCount(c["execution_count"])) p.Add($"{where}: execution_count must be null or an integer >= 0");
                    if (c["outputs"] is JsonArray outs)
                        for (var k = 0; k < outs.Count; k++) ValidateOutput(p, $"{where}, output {k + 1}", outs[k]);
                    else if (c.ContainsKey("outputs")) p.Add($"{where}: outputs must be an array");
                    break;
                case CellTypes.Markdown:
                case CellTypes.Raw:
                    Keys(p, where, c, required: ["id", "cell_type", "metadata", "source"], allowed: ["attachments"], closed: true);
                    if (c["attachments"] is { } att)
                    {
                        if (att is not JsonObject atto) p.Add($"{where}: attachments must be an object");
                        else foreach (var kv in atto) ValidateMimeBundle(p, $"{where}, attachment '{kv.Key}'", kv.Value);
                    }
                    break;
                case null:
                    p.Add($"{where}: cell_type is missing");
                    break;
                default:
                    break; // a cell type from a future minor version: allowed, anything goes
            }
        }
        return p;
    }

    static void ValidateOutput(List<string> p, string where, JsonNode? node)
    {
        if (node is not JsonObject o) { p.Add($"{where} is not an object"); return; }
        var type = o["output_type"] is JsonValue tv && tv.TryGetValue<string>(out var t) ? t : null;
        where += $" ({type ?? "?"})";
        switch (type)
        {
            case "stream":
                Keys(p, where, o, ["output_type", "name", "text"], null, closed: true);
                if (!IsString(o["name"])) p.Add($"{where}: name must be a string");
                if (!IsMultiline(o["text"])) p.Add($"{where}: text must be a string or an array of strings");
                break;
            case "display_data":
                Keys(p, where, o, ["output_type", "data", "metadata"], null, closed: true);
                ValidateMimeBundle(p, where + ", data", o["data"]);
                if (o["metadata"] is not JsonObject) p.Add($"{where}: metadata must be an object");
                break;
            case "execute_result":
                Keys(p, where, o, ["output_type", "data", "metadata", "execution_count"], null, closed: true);
                ValidateMimeBundle(p, where + ", data", o["data"]);
                if (o["metadata"] is not JsonObject) p.Add($"{where}: metadata must be an object");
                if (!IsCount(o["execution_count"])) p.Add($"{where}: execution_count must be null or an integer >= 0");
                break;
            case "error":
                Keys(p, where, o, ["output_type", "ename", "evalue", "traceback"], null, closed: true);
                if (!IsString(o["ename"])) p.Add($"{where}: ename must be a string");
                if (!IsString(o["evalue"])) p.Add($"{where}: evalue must be a string");
                if (o["traceback"] is not JsonArray tb || tb.Any(x => !IsString(x))) p.Add($"{where}: traceback must be an array of strings");
                break;
            case null:
                p.Add($"{where}: output_type is missing");
                break;
            default:
                break; // an output type from a future minor version
        }
    }

    static void ValidateMimeBundle(List<string> p, string where, JsonNode? node)
    {
        if (node is not JsonObject o) { p.Add($"{where} must be an object"); return; }
        foreach (var kv in o)
            if (!MimeBundle.IsJsonMime(kv.Key) && !IsMultiline(kv.Value))
                p.Add($"{where}: '{kv.Key}' must be a string or an array of strings");
    }

    static void Keys(List<string> p, string where, JsonObject o, string[] required, string[]? allowed, bool closed)
    {
        foreach (var r in required)
            if (!o.ContainsKey(r)) p.Add($"{where}: '{r}' is missing");
        if (!closed) return;
        foreach (var kv in o)
            if (!required.Contains(kv.Key) && (allowed is null || !allowed.Contains(kv.Key)))
                p.Add($"{where}: '{kv.Key}' is not allowed here");
    }

    static bool IsString(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out _);
    static bool IsInt(JsonNode? n, out int value)
    {
        value = 0;
        return n is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out value);
    }
    static bool IsCount(JsonNode? n) => n is null || (IsInt(n, out var c) && c >= 0);
    static bool IsMultiline(JsonNode? n) => IsString(n) || (n is JsonArray a && a.All(IsString));

    /// <summary>The C# Polyglot metadata: kernelspec, language_info, polyglot_notebook.kernelInfo and each code cell's
    /// kernel (dotnet_interactive.language and polyglot_notebook.kernelName both "csharp").</summary>
    public static IReadOnlyList<string> ValidatePolyglot(Notebook notebook)
    {
        var p = new List<string>();
        var md = notebook.Metadata;
        Expect(p, md, "metadata.kernelspec.display_name", PolyglotNotebook.KernelspecDisplayName, "kernelspec", "display_name");
        Expect(p, md, "metadata.kernelspec.language", PolyglotNotebook.KernelspecLanguage, "kernelspec", "language");
        Expect(p, md, "metadata.kernelspec.name", PolyglotNotebook.KernelspecName, "kernelspec", "name");
        var lang = NotebookJson.GetPath(md, "language_info", "name");
        if (lang is not (PolyglotNotebook.LanguageInfoName or PolyglotNotebook.LegacyLanguageInfoName))
            p.Add($"metadata.language_info.name is {Show(lang)}, expected '{PolyglotNotebook.LanguageInfoName}' (or the older '{PolyglotNotebook.LegacyLanguageInfoName}')");
        Expect(p, md, "metadata.polyglot_notebook.kernelInfo.defaultKernelName", PolyglotNotebook.KernelName, "polyglot_notebook", "kernelInfo", "defaultKernelName");
        if ((md["polyglot_notebook"] as JsonObject)?["kernelInfo"] is JsonObject ki && ki["items"] is JsonArray items &&
            !items.Any(i => i is JsonObject io && NotebookJson.GetString(io, "name") == PolyglotNotebook.KernelName))
            p.Add($"metadata.polyglot_notebook.kernelInfo.items has no kernel named '{PolyglotNotebook.KernelName}'");
        for (var i = 0; i < notebook.Cells.Count; i++)
        {
            var c = notebook.Cells[i];
            if (!c.IsCode) continue;
            var where = $"cell {i + 1} (code)";
            Expect(p, c.Metadata, $"{where}: metadata.dotnet_interactive.language", PolyglotNotebook.KernelName, "dotnet_interactive", "language");
            Expect(p, c.Metadata, $"{where}: metadata.polyglot_notebook.kernelName", PolyglotNotebook.KernelName, "polyglot_notebook", "kernelName");
        }
        return p;
    }

    static void Expect(List<string> p, JsonObject o, string what, string expected, params string[] path)
    {
        var actual = NotebookJson.GetPath(o, path);
        if (actual != expected) p.Add($"{what} is {Show(actual)}, expected '{expected}'");
    }

    static string Show(string? s) => s is null ? "missing" : $"'{s}'";
}
