using System.Text.Json;
using System.Text.Json.Nodes;

namespace Repro.Notebooks.Scripting;

/// <summary>
/// The NuGet packages the host process (the kit's CLI, or a test host) was built with, read from its
/// <c>.deps.json</c>: for each package its restored version, its dependencies and its runtime assemblies. This is what
/// <c>#r "nuget: ..."</c> resolves against: the headless runner restores nothing. Parsed directly (no
/// Microsoft.Extensions.DependencyModel): <c>targets[runtimeTarget]["Id/Version"]</c> gives dependencies and
/// <c>runtime</c> assets, <c>libraries["Id/Version"].type</c> tells packages from projects.
/// </summary>
public sealed class HostPackages
{
    /// <summary>One restored package.</summary>
    public sealed record Package(string Id, string Version, IReadOnlyList<string> Dependencies, IReadOnlyList<string> AssemblyNames);

    readonly Dictionary<string, Package> _packages = new(StringComparer.OrdinalIgnoreCase);
    readonly HashSet<string> _direct = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<Package> Packages => _packages.Values;

    /// <summary>Packages the host's own projects reference directly (the list given in error messages).</summary>
    public IReadOnlyList<Package> DirectPackages =>
        _direct.Select(Find).OfType<Package>().OrderBy(p => p.Id, StringComparer.OrdinalIgnoreCase).ToList();

    public Package? Find(string id) => _packages.GetValueOrDefault(id);

    /// <summary>Runtime assembly names of a package and of every package it depends on, transitively, that the host has.</summary>
    public IReadOnlyList<string> AssemblyClosure(Package package)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var names = new List<string>();
        var queue = new Queue<Package>([package]);
        while (queue.Count > 0)
        {
            var p = queue.Dequeue();
            if (!seen.Add(p.Id)) continue;
            names.AddRange(p.AssemblyNames.Where(n => !names.Contains(n, StringComparer.OrdinalIgnoreCase)));
            foreach (var d in p.Dependencies)
                if (Find(d) is { } dep) queue.Enqueue(dep);
        }
        return names;
    }

    static readonly Lazy<HostPackages> CurrentLazy = new(() => FromDepsFiles(HostDepsFiles()));

    /// <summary>The running process's packages.</summary>
    public static HostPackages Current => CurrentLazy.Value;

    /// <summary>The application's deps files (APP_CONTEXT_DEPS_FILES, without the shared framework's), else
    /// &lt;entry assembly&gt;.deps.json in the application folder.</summary>
    public static IReadOnlyList<string> HostDepsFiles()
    {
        var runtimeDir = Path.GetFullPath(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        var sharedRoot = Path.GetFullPath(Path.Combine(runtimeDir, "..", ".."));
        var files = ((AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string) ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(f => File.Exists(f) && !Path.GetFullPath(f).StartsWith(sharedRoot, StringComparison.Ordinal))
            .ToList();
        if (files.Count == 0 && System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name is { } entry)
        {
            var f = Path.Combine(AppContext.BaseDirectory, entry + ".deps.json");
            if (File.Exists(f)) files.Add(f);
        }
        return files;
    }

    public static HostPackages FromDepsFiles(IEnumerable<string> paths)
    {
        var host = new HostPackages();
        foreach (var p in paths) host.Add(File.ReadAllText(p), p);
        return host;
    }

    public static HostPackages FromDepsJson(string json)
    {
        var host = new HostPackages();
        host.Add(json, "deps.json");
        return host;
    }

    void Add(string json, string source)
    {
        JsonObject root;
        try { root = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("not an object"); }
        catch (JsonException e) { throw new InvalidOperationException($"{source}: not a valid deps.json: {e.Message}", e); }
        var targets = root["targets"] as JsonObject;
        if (targets is null || targets.Count == 0) return;
        var targetName = NotebookJson.GetPath(root, "runtimeTarget", "name");
        var target = (targetName is not null ? targets[targetName] : null) as JsonObject ?? targets.First().Value as JsonObject;
        var libraries = root["libraries"] as JsonObject ?? new JsonObject();
        if (target is null) return;
        foreach (var (key, value) in target)
        {
            if (value is not JsonObject entry) continue;
            var slash = key.IndexOf('/');
            if (slash <= 0) continue;
            var id = key[..slash];
            var version = key[(slash + 1)..];
            var type = NotebookJson.GetPath(libraries[key] as JsonObject, "type");
            var deps = (entry["dependencies"] as JsonObject)?.Select(kv => kv.Key).ToList() ?? [];
            if (type == "package")
            {
                var assemblies = (entry["runtime"] as JsonObject)?.Select(kv => kv.Key)
                    .Where(f => f.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                    .Select(f => Path.GetFileNameWithoutExtension(f.Replace('\\', '/').Split('/')[^1]))
                    .ToList() ?? [];
                _packages.TryAdd(id, new Package(id, version, deps, assemblies));
            }
            else if (type == "project")
            {
                foreach (var d in deps) _direct.Add(d);
            }
        }
        // a dependency of a project may be another project: keep packages only
        _direct.RemoveWhere(d => !_packages.ContainsKey(d));
    }
}
