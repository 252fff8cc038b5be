using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Repro.Notebooks.Scripting;

/// <summary>References a directive adds, and what to tell the user about them on stderr.</summary>
internal sealed record ResolvedReferences(IReadOnlyList<MetadataReference> References, IReadOnlyList<string> Notes);

/// <summary>
/// Turns <c>#r</c> directives into script references, using only what the host process has.
/// <list type="bullet">
/// <item><c>#r "nuget: Id[, Version]"</c>: the package must be one the host restored (<see cref="HostPackages"/>); its
/// runtime assemblies and those of its dependencies are referenced, taken from the host (already loaded, or loaded by
/// name from the host's own folder). A different requested version is a warning, not a failure: the host's is used.
/// A few packages are replaced by the runner's own equivalent (<see cref="Replacements"/>). Anything else fails the
/// cell with the list of the kit's own dependencies.</item>
/// <item><c>#r "path/to/X.dll"</c> (relative to the notebook's folder): if the host already has an assembly named X
/// (loaded, or on its trusted platform list), that one is referenced instead, silently and whether or not the file
/// exists, so types stay the same types as the host's (the notebook may point at <c>lib/Repro.Cli/bin/Debug/...</c>,
/// which VS Code needs, while the CLI loaded its own Repro); otherwise the file is loaded.</item>
/// <item><c>#r "Name"</c> (no folder, no .dll): an assembly the host has, by name (e.g. <c>System.Xml</c>).</item>
/// </list>
/// </summary>
internal sealed class ReferenceResolver(HostPackages host)
{
    /// <summary>
    /// Packages a Polyglot notebook may reference that the headless runner replaces with its own equivalent: the value is
    /// the host package referenced instead, or null when the runner itself provides what the package did.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Replacements { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
    {
        // Plotly.NET's notebook extension: the runner formats GenericChart itself (offline); the charts API is Plotly.NET.
        ["Plotly.NET.Interactive"] = "Plotly.NET",
        // .NET Interactive's formatting API: the runner provides Display(), DisplayAs(), Formatter.Register and
        // ToDisplayString in the same namespace (Microsoft.DotNet.Interactive.Formatting).
        ["Microsoft.DotNet.Interactive.Formatting"] = null,
        // DataFrame's notebook formatter: the runner formats DataFrame itself; the API is Microsoft.Data.Analysis.
        ["Microsoft.Data.Analysis.Interactive"] = "Microsoft.Data.Analysis",
    };

    public HostPackages Host => host;

    public ResolvedReferences ResolveNuGet(string spec)
    {
        var (id, version) = ParseNuGet(spec);
        var notes = new List<string>();
        if (Replacements.TryGetValue(id, out var replacement))
        {
            if (replacement is null) return new([], notes);
            var target = host.Find(replacement) ?? throw NotAvailable(replacement);
            return new(AssembliesOf(target, notes), notes);
        }
        var package = host.Find(id) ?? throw NotAvailable(id);
        if (version is not null && !SameVersion(version, package.Version))
            notes.Add($"warning: #r \"nuget: {id}, {version}\": the kit provides {package.Id} {package.Version}, which is used instead");
        return new(AssembliesOf(package, notes), notes);
    }

    List<MetadataReference> AssembliesOf(HostPackages.Package package, List<string> notes)
    {
        var refs = new List<MetadataReference>();
        foreach (var name in host.AssemblyClosure(package))
        {
            var asm = FindOrLoadHostAssembly(name);
            if (asm is null) notes.Add($"warning: {package.Id}: assembly {name} could not be loaded from the host; it is not referenced");
            else refs.Add(ToReference(asm));
        }
        return refs;
    }

    DirectiveException NotAvailable(string id)
    {
        var list = string.Join(", ", host.DirectPackages.Select(p => $"{p.Id} {p.Version}"));
        return new DirectiveException("PackageNotAvailable",
            $"package {id} is not available to the headless runner; it can only use the kit's own dependencies: {list} " +
            "(and the packages these depend on). Add it to the kit's projects (Directory.Packages.props) or remove the #r.");
    }

    public ResolvedReferences ResolvePath(string raw, string baseDirectory)
    {
        var notes = new List<string>();
        var looksLikeName = raw.IndexOfAny(['/', '\\']) < 0 &&
                            !raw.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) &&
                            !raw.EndsWith(".exe", StringComparison.OrdinalIgnoreCase);
        if (looksLikeName)
        {
            var byName = FindOrLoadHostAssembly(raw)
                         ?? throw new DirectiveException("ReferenceNotFound", $"#r \"{raw}\": no assembly named {raw} is available to the host");
            return new([ToReference(byName)], notes);
        }

        var full = Path.GetFullPath(Path.Combine(baseDirectory, ExpandHome(raw)));
        var simpleName = Path.GetFileNameWithoutExtension(full);
        // The host's copy is referenced whether or not the file exists (a Release-built CLI running a lesson that points at
        // the Debug folder), so the notebook's types are the host's: nothing to report.
        if (FindOrLoadHostAssembly(simpleName) is { } hostAssembly) return new([ToReference(hostAssembly)], notes);
        if (!File.Exists(full))
            throw new DirectiveException("ReferenceNotFound", $"#r \"{raw}\": {full} does not exist");
        Assembly loaded;
        try { loaded = Assembly.LoadFrom(full); }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException)
        {
            throw new DirectiveException("ReferenceNotFound", $"#r \"{raw}\": {full} could not be loaded: {e.Message}");
        }
        return new([ToReference(loaded)], notes);
    }

    static string ExpandHome(string p) =>
        p.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), p[2..]) : p;

    internal static (string Id, string? Version) ParseNuGet(string spec)
    {
        var body = spec.Trim();
        if (body.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase)) body = body["nuget:".Length..];
        var parts = body.Split(',', StringSplitOptions.TrimEntries);
        var id = parts[0];
        if (id.Length == 0) throw new DirectiveException("UnknownDirective", $"#r \"{spec}\": no package name");
        var version = parts.Length > 1 && parts[1].Length > 0 ? parts[1] : null;
        return (id, version);
    }

    /// <summary>Versions equal after NuGet normalisation (1.0 = 1.0.0 = 1.0.0.0); ranges and wildcards always match.</summary>
    internal static bool SameVersion(string requested, string restored)
    {
        if (requested.IndexOfAny(['*', '[', ']', '(', ')', ',']) >= 0) return true;
        static (Version? v, string pre) Split(string s)
        {
            s = s.Split('+')[0];
            var dash = s.IndexOf('-');
            var release = dash < 0 ? s : s[..dash];
            var pre = dash < 0 ? "" : s[(dash + 1)..];
            var parts = release.Split('.').ToList();
            while (parts.Count < 4) parts.Add("0");
            return (Version.TryParse(string.Join('.', parts), out var v) ? v : null, pre);
        }
        var (a, ap) = Split(requested.Trim());
        var (b, bp) = Split(restored.Trim());
        if (a is null || b is null) return string.Equals(requested.Trim(), restored.Trim(), StringComparison.OrdinalIgnoreCase);
        return a == b && string.Equals(ap, bp, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>An assembly the host has under that simple name: already loaded, else loaded by name when it is on the
    /// host's trusted platform list (its own folder and the shared framework). Null otherwise.</summary>
    internal static Assembly? FindOrLoadHostAssembly(string simpleName)
    {
        var loaded = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && string.Equals(a.GetName().Name, simpleName, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(a => System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(a) == System.Runtime.Loader.AssemblyLoadContext.Default)
            .FirstOrDefault();
        if (loaded is not null) return loaded;
        if (!TrustedPlatformNames.Value.Contains(simpleName)) return null;
        try { return Assembly.Load(new AssemblyName(simpleName)); }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException) { return null; }
    }

    static readonly Lazy<HashSet<string>> TrustedPlatformNames = new(() =>
        ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(Path.GetFileNameWithoutExtension)
        .OfType<string>()
        .ToHashSet(StringComparer.OrdinalIgnoreCase));

    static readonly ConcurrentDictionary<string, MetadataReference> ReferenceCache = new(StringComparer.Ordinal);

    internal static MetadataReference ToReference(Assembly asm)
    {
        if (string.IsNullOrEmpty(asm.Location))
            throw new DirectiveException("ReferenceNotFound", $"assembly {asm.GetName().Name} has no file location and cannot be referenced");
        return ReferenceCache.GetOrAdd(asm.Location, loc => MetadataReference.CreateFromFile(loc));
    }

    internal static MetadataReference ToReference(string path) =>
        ReferenceCache.GetOrAdd(Path.GetFullPath(path), loc => MetadataReference.CreateFromFile(loc));
}

/// <summary>A directive that cannot be carried out; fails its cell with an error output named <see cref="EName"/>.</summary>
internal sealed class DirectiveException(string ename, string message) : Exception(message)
{
    public string EName { get; } = ename;
}
