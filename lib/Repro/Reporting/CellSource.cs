using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Repro.Reporting;

/// <summary>
/// The source of the notebook cell being run, for code that versions itself by its own text: a lesson that defines a
/// method variant in a cell gives its runs the cell's <see cref="Hash"/>, so editing the cell retrains and an unchanged
/// cell is read back from the results store. Capture it in the cell that defines the variant (later cells see their own
/// source):
/// <code>
/// // in the cell that defines the variant
/// var variantVersion = CellSource.Current?.Hash ?? "v1";   // "v1": the version to bump by hand where no hash is available
/// </code>
/// Where it comes from: the kit's headless runner sets it around each cell; in VS Code (Polyglot Notebooks) it is read
/// from .NET Interactive's current submission (<c>KernelInvocationContext.Current.Command.Code</c>, by reflection, as the
/// kit does not reference .NET Interactive); anywhere else it is null and the explicit version applies.
/// </summary>
public sealed class CellSource
{
    static volatile CellSource? _hostCurrent;

    CellSource(string text)
    {
        Text = text;
        Hash = HashOf(text);
    }

    /// <summary>The cell's source as the host gave it.</summary>
    public string Text { get; }

    /// <summary><see cref="HashOf"/> the text: 16 hex digits.</summary>
    public string Hash { get; }

    /// <summary>The cell being run: the headless runner's, else .NET Interactive's current submission, else null.</summary>
    public static CellSource? Current => _hostCurrent ?? FromDotNetInteractive();

    /// <summary>
    /// The first 16 hex digits of the SHA-256 of the cell's code, normalised so that what a notebook host adds or strips
    /// does not count: directive lines (<c>#r</c>, <c>#i</c>, <c>#!...</c>) are dropped, line endings become \n, trailing
    /// spaces and leading and trailing blank lines are removed. Any other edit, a comment included, changes the hash.
    /// </summary>
    public static string HashOf(string source)
    {
        var lines = source.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n')
            .Where(l => !IsDirective(l.TrimStart()))
            .Select(l => l.TrimEnd());
        var code = string.Join("\n", lines).Trim('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)))[..16];
    }

    static bool IsDirective(string line) =>
        line.StartsWith("#!", StringComparison.Ordinal) ||
        line.StartsWith("#r ", StringComparison.Ordinal) || line.StartsWith("#i ", StringComparison.Ordinal);

    /// <summary>
    /// For notebook hosts: makes <paramref name="source"/> the current cell until the result is disposed (the kit's
    /// runner calls it around each cell; it runs one notebook at a time, so this is process-wide).
    /// </summary>
    public static IDisposable Enter(string source)
    {
        var previous = _hostCurrent;
        _hostCurrent = new CellSource(source);
        return new Exit(() => _hostCurrent = previous);
    }

    sealed class Exit(Action undo) : IDisposable
    {
        int _done;
        public void Dispose() { if (Interlocked.Exchange(ref _done, 1) == 0) undo(); }
    }

    static CellSource? FromDotNetInteractive()
    {
        try
        {
            var asm = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "Microsoft.DotNet.Interactive");
            var context = asm?.GetType("Microsoft.DotNet.Interactive.KernelInvocationContext")
                ?.GetProperty("Current", BindingFlags.Public | BindingFlags.Static)?.GetValue(null);
            var command = context?.GetType().GetProperty("Command")?.GetValue(context);
            return command?.GetType().GetProperty("Code")?.GetValue(command) is string code ? new CellSource(code) : null;
        }
        catch (Exception e) when (e is TargetInvocationException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }
}
