using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Repro.Notebooks.Scripting;

/// <summary>A cell that failed: the error output's name, value and traceback.</summary>
internal sealed class CellFailureException(string ename, string evalue, IReadOnlyList<string> traceback) : Exception(evalue)
{
    public string EName { get; } = ename;
    public string EValue { get; } = evalue;
    public IReadOnlyList<string> Traceback { get; } = traceback;
}

/// <summary>What a successful cell returned.</summary>
internal readonly record struct CellValue(bool HasValue, object? Value);

/// <summary>
/// One notebook's C# scripting state: cells run in order as Roslyn submissions (<c>ContinueWithAsync</c>), so
/// variables, classes and usings carry over. Directives are handled here (see <see cref="CellParser"/>,
/// <see cref="ReferenceResolver"/>); references accumulate across cells.
/// </summary>
internal sealed class ScriptSession
{
    /// <summary>The Polyglot C# kernel's default namespaces, and the formatting namespace it also imports.</summary>
    public static readonly IReadOnlyList<string> DefaultImports =
    [
        "System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq",
        "Microsoft.DotNet.Interactive.Formatting",
    ];

    // Roslyn keeps "does the submission end with an expression" internal; .NET Interactive reads it the same way.
    static readonly MethodInfo? HasReturnValueMethod =
        typeof(Script).GetMethod("HasReturnValue", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);

    static readonly Lazy<IReadOnlyList<MetadataReference>> FrameworkReferences = new(() =>
    {
        var dir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var refs = new List<MetadataReference>();
        foreach (var f in Directory.EnumerateFiles(dir, "*.dll").Order(StringComparer.Ordinal))
        {
            try { AssemblyName.GetAssemblyName(f); }
            catch (BadImageFormatException) { continue; } // a native library
            refs.Add(ReferenceResolver.ToReference(f));
        }
        return refs;
    });

    readonly ReferenceResolver _resolver;
    readonly ScriptGlobals _globals;
    readonly string _baseDirectory;
    readonly Stack<string> _importStack = new();
    ScriptOptions _options;
    ScriptState<object>? _state;

    public ScriptSession(ReferenceResolver resolver, ScriptGlobals globals, string baseDirectory,
        IEnumerable<Assembly> references, IEnumerable<string> imports)
    {
        _resolver = resolver;
        _globals = globals;
        _baseDirectory = baseDirectory;
        _options = ScriptOptions.Default
            .WithReferences(FrameworkReferences.Value)
            .AddReferences(ReferenceResolver.ToReference(typeof(ScriptGlobals).Assembly))
            .AddReferences(references.Select(ReferenceResolver.ToReference))
            .WithImports(DefaultImports.Concat(imports).Distinct())
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithOptimizationLevel(OptimizationLevel.Release)
            .WithEmitDebugInformation(true) // line numbers in stack traces
            .WithAllowUnsafe(true);
        _options = WithBaseDirectory(_options, baseDirectory);
    }

    static ScriptOptions WithBaseDirectory(ScriptOptions o, string dir) => o
        .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(dir))
        .WithSourceResolver(new SourceFileResolver(ImmutableArray<string>.Empty, dir));

    /// <summary>
    /// Runs one cell's source: its directives in order, then its code. Throws <see cref="CellFailureException"/> on a
    /// directive, compile or runtime error.
    /// </summary>
    public async Task<CellValue> RunAsync(string source, string baseDirectory, string label, CellOutputs outputs, CancellationToken ct)
    {
        var (directives, code) = CellParser.Parse(source);
        var time = false;
        foreach (var d in directives)
        {
            try
            {
                switch (d.Kind)
                {
                    case "r":
                        var res = d.Argument.TrimStart().StartsWith("nuget:", StringComparison.OrdinalIgnoreCase)
                            ? _resolver.ResolveNuGet(d.Argument)
                            : _resolver.ResolvePath(d.Argument, baseDirectory);
                        _options = _options.AddReferences(res.References);
                        foreach (var n in res.Notes) outputs.Write(StreamOutput.Stderr, n + "\n");
                        break;
                    case "i":
                        outputs.Write(StreamOutput.Stderr, $"note: {d.Text} is ignored: the headless runner uses only the packages the kit restored\n");
                        break;
                    default:
                        if (d.Name == "time") time = true;
                        else if (d.Name == "import") await ImportAsync(d.Argument, baseDirectory, outputs, ct);
                        else if (CellParser.CSharpKernelNames.Contains(d.Name)) { /* selects the C# kernel: nothing to do */ }
                        else if (CellParser.OtherKernelNames.Contains(d.Name))
                            throw new DirectiveException("UnsupportedKernel",
                                $"#!{d.Name} (line {d.Line}): the {d.Name} kernel is not supported; the headless runner runs C# only");
                        else
                            throw new DirectiveException("UnknownDirective",
                                $"unknown directive #!{d.Name} (line {d.Line}); the headless runner knows #!time, #!import and #!csharp");
                        break;
                }
            }
            catch (DirectiveException e)
            {
                throw new CellFailureException(e.EName, e.Message, [$"{label}, line {d.Line}: {d.Text}", $"{e.EName}: {e.Message}"]);
            }
        }

        if (string.IsNullOrWhiteSpace(code) && !time) return new CellValue(false, null);

        var options = baseDirectory == _baseDirectory ? _options : WithBaseDirectory(_options, baseDirectory);
        var sw = Stopwatch.StartNew();
        ScriptState<object> next;
        try
        {
            _state ??= await CSharpScript.RunAsync<object>("", options, _globals, typeof(ScriptGlobals), ct);
            next = await _state.ContinueWithAsync<object>(code, options, catchException: _ => true, cancellationToken: ct);
        }
        catch (CompilationErrorException e)
        {
            var errors = e.Diagnostics.Where(x => x.Severity == DiagnosticSeverity.Error).Select(x => x.ToString()).ToList();
            if (errors.Count == 0) errors.Add(e.Message);
            throw new CellFailureException("CompilationError", string.Join("\n", errors), [$"{label}: compilation failed", .. errors]);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw RuntimeFailure(e, label);
        }
        sw.Stop();
        _state = next;
        if (next.Exception is { } ex) throw RuntimeFailure(ex, label);
        if (time) outputs.Write(StreamOutput.Stdout, string.Create(CultureInfo.InvariantCulture, $"Wall time: {sw.Elapsed.TotalMilliseconds:0.0} ms\n"));
        return new CellValue(HasReturnValue(next), next.ReturnValue);
    }

    static bool HasReturnValue(ScriptState<object> state)
    {
        if (HasReturnValueMethod?.Invoke(state.Script, null) is bool b) return b;
        return state.ReturnValue is not null; // Roslyn changed: null results are then not shown
    }

    static CellFailureException RuntimeFailure(Exception e, string label)
    {
        while (e is TargetInvocationException { InnerException: { } inner }) e = inner;
        if (e is AggregateException { InnerExceptions.Count: 1 } agg) e = agg.InnerExceptions[0];
        var lines = e.ToString().Replace("\r", "").Split('\n')
            .Where(l => !l.TrimStart().StartsWith("at Microsoft.CodeAnalysis.Scripting.", StringComparison.Ordinal))
            .Select(l => l.Replace(" in :line ", $" in {label}, line "))
            .ToList();
        while (lines.Count > 0 && (lines[^1].Trim().Length == 0 || lines[^1].Contains("--- End of stack trace from previous location ---")))
            lines.RemoveAt(lines.Count - 1);
        return new CellFailureException(e.GetType().Name, e.Message, lines);
    }

    async Task ImportAsync(string argument, string baseDirectory, CellOutputs outputs, CancellationToken ct)
    {
        var rel = CellParser.Unquote(argument);
        if (rel.Length == 0) throw new DirectiveException("ImportError", "#!import needs a file (.ipynb, .cs or .csx)");
        var path = Path.GetFullPath(Path.Combine(baseDirectory, rel));
        if (!File.Exists(path)) throw new DirectiveException("ImportError", $"#!import {rel}: {path} does not exist");
        if (_importStack.Contains(path)) throw new DirectiveException("ImportError", $"#!import {rel}: {path} imports itself (a cycle)");
        var dir = Path.GetDirectoryName(path)!;
        var name = Path.GetFileName(path);
        _importStack.Push(path);
        try
        {
            switch (Path.GetExtension(path).ToLowerInvariant())
            {
                case ".ipynb":
                    var nb = Notebook.Load(path);
                    for (var k = 0; k < nb.Cells.Count; k++)
                    {
                        var cell = nb.Cells[k];
                        if (!cell.IsCode) continue;
                        var kernel = NotebookRunner.KernelOf(cell, nb);
                        if (!CellParser.CSharpKernelNames.Contains(kernel))
                            throw new DirectiveException("UnsupportedKernel", $"#!import {rel}: cell {k + 1} uses the {kernel} kernel; the headless runner runs C# only");
                        await RunImported(cell.Source, $"{name} cell {k + 1}");
                    }
                    break;
                case ".cs":
                case ".csx":
                    await RunImported(await File.ReadAllTextAsync(path, ct), name);
                    break;
                default:
                    throw new DirectiveException("ImportError", $"#!import {rel}: only .ipynb, .cs and .csx files can be imported");
            }
        }
        finally
        {
            _importStack.Pop();
        }

        async Task RunImported(string source, string label)
        {
            try { await RunAsync(source, dir, label, outputs, ct); } // values of imported cells are not shown
            catch (CellFailureException f)
            {
                throw new CellFailureException(f.EName, $"#!import {rel}: {label} failed: {f.EValue}", [$"in #!import {rel}:", .. f.Traceback]);
            }
        }
    }
}
