// What a notebook written for the real Polyglot (.NET Interactive) C# kernel expects from its formatting API, so that
// it compiles and runs in the headless runner unchanged. The runner imports this namespace by default, as the real
// kernel does; `using Microsoft.DotNet.Interactive.Formatting;` in a notebook finds it too. In .NET Interactive,
// Display() lives in the assembly Microsoft.DotNet.Interactive.Formatting (namespace System in its last versions); here
// it lives in this namespace only, so that code referencing Repro.Notebooks does not see Display() on every object
// unless it imports the namespace. `#r "nuget: Microsoft.DotNet.Interactive.Formatting"` is accepted and adds nothing.

using Repro.Notebooks;
using Repro.Notebooks.Scripting;
using KitFormatter = Repro.Notebooks.Formatting.Formatter;

namespace Microsoft.DotNet.Interactive.Formatting;

/// <summary><c>x.Display()</c> and <c>"...".DisplayAs(mime)</c> as in .NET Interactive: a display_data output in the
/// cell being run.</summary>
public static class DisplayExtensions
{
    /// <summary>Shows the value as an output of the current cell (all MIME types its formatters give, or only those named).</summary>
    public static DisplayedValue Display(this object? value, params string[] mimeTypes) => DisplayTarget.Show(value, mimeTypes);

    /// <summary>Shows text as the given MIME type, as is (e.g. <c>"&lt;b&gt;hi&lt;/b&gt;".DisplayAs("text/html")</c>).</summary>
    public static DisplayedValue DisplayAs(this string value, string mimeType) =>
        DisplayTarget.ShowRaw(mimeType, value);
}

/// <summary>The handle <c>display(x)</c> returns: <see cref="Update"/> replaces the displayed value in place.</summary>
public sealed class DisplayedValue
{
    readonly CellOutputs? _outputs;
    readonly DisplayDataOutput? _output;
    readonly string[]? _mimeTypes;

    internal DisplayedValue(CellOutputs? outputs, DisplayDataOutput? output, string[]? mimeTypes)
    {
        _outputs = outputs;
        _output = output;
        _mimeTypes = mimeTypes;
    }

    public void Update(object? updatedValue)
    {
        if (_outputs is not null && _output is not null) _outputs.Update(_output, updatedValue, _mimeTypes);
        else Console.Out.WriteLine(KitFormatter.SafeToString(updatedValue));
    }
}

/// <summary>.NET Interactive's formatter registration API, forwarding to the kit's <see cref="KitFormatter"/>. As in
/// .NET Interactive, the MIME type defaults to text/plain here.</summary>
public static class Formatter
{
    public static void Register<T>(Func<T, string> formatter, string mimeType = MimeBundle.PlainText) =>
        KitFormatter.Register<T>(v => formatter(v), mimeType);

    public static void Register<T>(Action<T, TextWriter> formatter, string mimeType = MimeBundle.PlainText) =>
        KitFormatter.Register<T>(v =>
        {
            using var w = new StringWriter();
            formatter(v, w);
            return w.ToString();
        }, mimeType);

    public static void Register(Type type, Action<object, TextWriter> formatter, string mimeType = MimeBundle.PlainText) =>
        KitFormatter.Register(type, mimeType, (v, _) =>
        {
            using var w = new StringWriter();
            formatter(v, w);
            return w.ToString();
        });

    /// <summary>The value formatted as one MIME type.</summary>
    public static string ToDisplayString(this object? value, string mimeType = MimeBundle.PlainText) =>
        KitFormatter.Format(value, null, [mimeType]).Data[mimeType] ?? "";

    public static void ResetToDefault() => KitFormatter.ResetToDefaults();
}
