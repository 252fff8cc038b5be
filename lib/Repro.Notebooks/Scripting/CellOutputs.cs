using System.Text;
using Microsoft.DotNet.Interactive.Formatting;
using Repro.Notebooks.Formatting;
using Formatter = Repro.Notebooks.Formatting.Formatter;

namespace Repro.Notebooks.Scripting;

/// <summary>
/// The outputs of the code cell being run, in the order they happen: text written to stdout and stderr (consecutive
/// writes to the same stream join one stream output) and displayed values. Thread-safe: a cell's background tasks may
/// write too.
/// </summary>
internal sealed class CellOutputs(FormatContext format)
{
    readonly object _gate = new();
    readonly List<NotebookOutput> _outputs = [];

    public FormatContext Format => format;

    public IReadOnlyList<NotebookOutput> Snapshot()
    {
        lock (_gate) return _outputs.ToList();
    }

    public void Write(string stream, string text)
    {
        if (text.Length == 0) return;
        lock (_gate)
        {
            if (_outputs.Count > 0 && _outputs[^1] is StreamOutput s && s.Name == stream) s.Text += text;
            else _outputs.Add(new StreamOutput(stream, text));
        }
    }

    public void Add(NotebookOutput output)
    {
        lock (_gate) _outputs.Add(output);
    }

    /// <summary>Formats and shows a value as display_data; the handle can replace it later.</summary>
    public DisplayedValue Display(object? value, string[]? mimeTypes)
    {
        FormattedValue f;
        lock (format) f = Formatter.Format(value, format, mimeTypes); // the context carries per-notebook state
        var output = new DisplayDataOutput(f.Data, f.Metadata);
        Add(output);
        return new DisplayedValue(this, output, mimeTypes);
    }

    /// <summary>Shows text under one MIME type as is.</summary>
    public DisplayedValue DisplayRaw(string mimeType, string text)
    {
        var output = new DisplayDataOutput(new MimeBundle().SetText(mimeType, text));
        Add(output);
        return new DisplayedValue(this, output, null);
    }

    public void Update(DisplayDataOutput output, object? value, string[]? mimeTypes)
    {
        FormattedValue f;
        lock (format) f = Formatter.Format(value, format, mimeTypes);
        lock (_gate)
        {
            output.Data = f.Data;
            output.Metadata = f.Metadata;
        }
    }
}

/// <summary>A TextWriter that appends to a cell's outputs as one stream (Console.Out or Console.Error during a cell).</summary>
internal sealed class StreamWriterToCell(CellOutputs outputs, string stream) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string NewLine { get => "\n"; set { } }
    public override void Write(char value) => outputs.Write(stream, value.ToString());
    public override void Write(string? value) => outputs.Write(stream, value ?? "");
    public override void Write(char[]? buffer, int index, int count) => outputs.Write(stream, buffer is null ? "" : new string(buffer, index, count));
    public override void WriteLine() => outputs.Write(stream, "\n");
    public override void WriteLine(string? value) => outputs.Write(stream, (value ?? "") + "\n");
}

/// <summary>
/// Where <c>display(x)</c> and <c>x.Display()</c> go: the outputs of the cell being run, set by the runner around each
/// cell (one notebook runs at a time per process). Outside a run, values are printed as text to Console.Out.
/// </summary>
internal static class DisplayTarget
{
    static volatile CellOutputs? _current;

    public static CellOutputs? Current
    {
        get => _current;
        set => _current = value;
    }

    public static DisplayedValue Show(object? value, string[]? mimeTypes)
    {
        if (_current is { } outputs) return outputs.Display(value, mimeTypes is { Length: > 0 } ? mimeTypes : null);
        var f = Formatter.Format(value, null, [MimeBundle.PlainText]);
        Console.Out.WriteLine(f.Data[MimeBundle.PlainText]);
        return new DisplayedValue(null, null, mimeTypes);
    }

    public static DisplayedValue ShowRaw(string mimeType, string text)
    {
        if (_current is { } outputs) return outputs.DisplayRaw(mimeType, text);
        Console.Out.WriteLine(text);
        return new DisplayedValue(null, null, null);
    }
}
