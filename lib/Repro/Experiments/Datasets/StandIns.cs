using Repro.Data.Manifests;

namespace Repro.Experiments.Datasets;

/// <summary>How big a stand-in is: examples per class in train and test (datasets without classes scale from these).</summary>
public sealed record StandInSize(int TrainPerClass, int TestPerClass);

/// <summary>
/// The stand-in of every dataset and protocol (<see cref="DatasetDescriptor.WriteStandIn"/>), written in the real layout
/// with its own manifest (counts, class order, options the loader needs, .npy shapes, SHA-256 of every file), so that
/// `repro data verify DIR/manifest.json --root DIR` passes on it and `repro train --data DIR` reads it like the real data.
/// </summary>
public static class StandIns
{
    /// <summary>The version of a dataset's stand-in recipe (<see cref="DatasetDescriptor.StandInVersion"/>); 1 for a dataset without a stand-in.</summary>
    public static int RecipeVersion(string id) => DatasetRegistry.Find(id)?.StandInVersion ?? 1;

    /// <summary>Writes the stand-in of (<paramref name="id"/>, <paramref name="protocol"/>) into an empty folder and returns its manifest (also saved there).</summary>
    public static DatasetManifest Write(string id, string? protocol, string dir, StandInSize size, ulong seed, IProgress<(int, int)>? progress = null)
    {
        var m = DatasetRegistry.Get(id).WriteStandIn(dir, DatasetRegistry.Protocol(id, protocol), size, seed, progress);
        m = m with { Files = DatasetManifest.HashTree(dir) };
        m.Save(Path.Combine(dir, DatasetManifest.FileName));
        return m;
    }

    /// <summary>
    /// The stand-in's folder under the results root, written (atomically, as a whole folder) when absent, by one process
    /// at a time (the lease <c>&lt;folder&gt;.lock</c>): others sharing the store wait for it.
    /// </summary>
    public static string Ensure(string resultsRoot, string id, string? protocol, StandInSize size, ulong seed = 0, IProgress<(int, int)>? progress = null)
    {
        protocol = DatasetRegistry.Protocol(id, protocol);
        var dir = Path.Combine(resultsRoot, "standins", DatasetRegistry.Get(id).StandInFolder(protocol, size, seed));
        if (File.Exists(Path.Combine(dir, DatasetManifest.FileName))) return dir;
        using var building = FileLease.Acquire(dir + ".lock");   // processes sharing the store build it once
        if (File.Exists(Path.Combine(dir, DatasetManifest.FileName))) return dir;
        var tmp = AtomicFile.TempName(dir);
        Write(id, protocol, tmp, size, seed, progress);
        if (Directory.Exists(dir)) Directory.Delete(dir, true); // an incomplete earlier attempt (no manifest)
        Directory.Move(tmp, dir);
        return dir;
    }
}
