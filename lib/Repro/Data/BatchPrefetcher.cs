using System.Collections.Concurrent;
using System.Diagnostics;
using Repro.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Data;

/// <summary>
/// The batches of an epoch's plan, each decoded, augmented and collated on the kit's data thread while the caller trains
/// on the previous one. A batch is exactly what <see cref="DataLoader.Load"/> returns on the caller's thread: samples are
/// seeded by (seed, epoch, index), never by the thread, and the data thread runs torch with the caller's intra-op thread
/// count, so parallel reductions split the same way. <see cref="Next"/> hands the batch over with fresh handles in the
/// caller's current dispose scope; <see cref="WaitSeconds"/> is the time the caller spent waiting for data.
/// By default it prefetches only when the machine has a core beyond the caller's intra-op threads: on 2 cores with 2
/// threads, the data thread's OpenMP team and the training thread's spin against each other, and a CREMA-D embedded
/// Concat epoch took 1.75 s with prefetching against 1.28 s without (4.09 s against 2.68 s with the convolution routes;
/// `benchmarks`, `epochs 3`), while the data it saves is 7% of an epoch. REPRO_PREFETCH=on|off forces it.
/// </summary>
public sealed class BatchPrefetcher : IDisposable
{
    /// <summary>Prefetching forced on or off (REPRO_PREFETCH=on|off); null: only with a core to spare (<see cref="Active"/>).</summary>
    public static bool? Enabled { get; set; } = Environment.GetEnvironmentVariable("REPRO_PREFETCH") switch { "on" => true, "off" => false, _ => null };

    /// <summary>Whether a prefetcher made now on the calling thread prepares batches ahead.</summary>
    public static bool Active => Enabled ?? Environment.ProcessorCount > IntraOpThreads.Current;

    readonly DataLoader _loader;
    readonly IReadOnlyList<int[]> _plan;
    readonly int _epoch;
    readonly int _threads = IntraOpThreads.Current;
    readonly Stopwatch _waiting = new();
    Task<Batch>? _pending;
    int _next;

    internal BatchPrefetcher(DataLoader loader, IReadOnlyList<int[]> plan, int epoch)
    {
        _loader = loader; _plan = plan; _epoch = epoch;
        if (Active && plan.Count > 0) _pending = Start(0);
    }

    public int Count => _plan.Count;

    /// <summary>Seconds the caller waited in <see cref="Next"/> (all of the loading when prefetching is off).</summary>
    public double WaitSeconds => _waiting.Elapsed.TotalSeconds;

    /// <summary>The next batch of the plan; starts preparing the one after it.</summary>
    public Batch Next()
    {
        if (_next >= _plan.Count) throw new InvalidOperationException($"All {_plan.Count} batches of epoch {_epoch + 1} were already taken.");
        _waiting.Start();
        try
        {
            if (_pending is null) return _loader.Load(_plan[_next++], _epoch);
            var batch = _pending.GetAwaiter().GetResult();
            _pending = ++_next < _plan.Count ? Start(_next) : null;
            return batch.Adopt();
        }
        finally
        {
            _waiting.Stop();
        }
    }

    Task<Batch> Start(int b) => DataThread.Run(() =>
    {
        if (IntraOpThreads.Current != _threads) IntraOpThreads.Set(_threads);
        using var scope = NewDisposeScope();
        var batch = _loader.Load(_plan[b], _epoch);
        scope.Detach(batch.Tensors());
        return batch;
    });

    /// <summary>Waits for a batch still being prepared (an epoch that stopped early) and frees it.</summary>
    public void Dispose()
    {
        var pending = _pending;
        _pending = null;
        if (pending is null) return;
        try
        {
            foreach (var t in pending.GetAwaiter().GetResult().Tensors()) t.Dispose();
        }
        catch (Exception)
        {
            // the error of a batch nobody asked for is not the caller's
        }
    }

    /// <summary>One background thread that prepares batches, one at a time, in the order asked.</summary>
    static class DataThread
    {
        static readonly BlockingCollection<Action> Work = new();

        static DataThread() => new Thread(Loop) { IsBackground = true, Name = "repro-data" }.Start();

        public static Task<T> Run<T>(Func<T> work)
        {
            var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            Work.Add(() =>
            {
                try { done.SetResult(work()); }
                catch (Exception e) { done.SetException(e); }
            });
            return done.Task;
        }

        static void Loop()
        {
            torch.get_num_threads();   // libtorch's per-thread setup, before the thread count is set per batch
            foreach (var work in Work.GetConsumingEnumerable()) work();
        }
    }
}
