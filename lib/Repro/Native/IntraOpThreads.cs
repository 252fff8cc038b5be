using System.Runtime.InteropServices;
using TorchSharp;

namespace Repro.Native;

/// <summary>
/// The calling thread's share of libtorch's intra-op thread pool. libtorch 2.10's CPU build runs ATen and oneDNN on
/// OpenMP, whose thread count is a per-thread setting (<c>omp_set_num_threads</c>): ATen's parallel loops, and every
/// oneDNN primitive created on this thread (oneDNN keys its primitive cache by that count), use what the calling thread
/// has set. Changing it is an assignment, unlike <c>torch.set_num_threads</c>, which also drops caches and resizes
/// libtorch's other pools. The OpenMP symbols are found through libtorch_cpu, which links the bundled libgomp.
/// </summary>
public static class IntraOpThreads
{
    static readonly bool Available = Probe();

    /// <summary>The number of threads the calling thread's next parallel region may use.</summary>
    public static int Current => Available ? omp_get_max_threads() : torch.get_num_threads();

    /// <summary>Sets the calling thread's count (other threads keep theirs).</summary>
    public static void Set(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (Available) omp_set_num_threads(threads);
        else torch.set_num_threads(threads);
    }

    static bool Probe()
    {
        TorchRuntime.EnsureReady();
        try
        {
            omp_get_max_threads();
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;   // a libtorch built without OpenMP (Windows, macOS): the global setting is the only one
        }
    }

    [DllImport("libtorch_cpu")]
    static extern int omp_get_max_threads();

    [DllImport("libtorch_cpu")]
    static extern void omp_set_num_threads(int threads);
}
