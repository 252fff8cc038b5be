using System.Text.Json.Nodes;

namespace Repro.Notebooks.Formatting;

/// <summary>
/// Settings and per-notebook state shared by the formatters during one run (the runner makes one per notebook;
/// <see cref="Formatter.Format"/> without one uses a fresh context, as for a single output in isolation).
/// </summary>
public sealed class FormatContext
{
    /// <summary>Rows shown by table formatters (DataFrame, sequences); the total is stated below the table.</summary>
    public int MaxRows { get; init; } = 60;

    /// <summary>Tensors with at most this many elements are printed in full; larger ones are summarised.</summary>
    public int MaxTensorElements { get; init; } = 200;

    /// <summary>Metadata of the output being formatted; formatters may add entries (reset for each value).</summary>
    public JsonObject OutputMetadata { get; internal set; } = new();
}

/// <summary>Trusted HTML to display as is (what <c>HTML("...")</c> returns in a notebook).</summary>
public sealed record HtmlContent(string Html)
{
    public override string ToString() => Html;
}
