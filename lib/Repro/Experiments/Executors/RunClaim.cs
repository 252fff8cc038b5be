using System.Runtime.InteropServices;
using System.Text.Json;
using Repro.Training;

namespace Repro.Experiments.Executors;

/// <summary>
/// The claim of the process that trains a run: the lease <c>&lt;run&gt;/claim/</c> (<see cref="FileLease"/>), so two
/// processes sharing a results store (Slurm tasks on several nodes, local jobs, a lesson beside a table) never train
/// the same run at once; the second waits and then reuses the finished run. A run that throws, or whose process is
/// stopped by a signal (Slurm's time limit, Ctrl+C), leaves <c>&lt;run&gt;/failed.json</c> with the reason and the
/// log; the next attempt removes it, and <c>--resume</c> continues from the last checkpoint. A process killed outright
/// (SIGKILL) says nothing: its claim is then judged dead (<see cref="FileLease"/>) and <c>repro status</c> says so.
/// </summary>
public sealed class RunClaim : IDisposable
{
    public const string FolderName = "claim", FailureFile = "failed.json";

    /// <summary>Why a run's last attempt ended without a result, and where its output went.</summary>
    public sealed record Failure(string Key, string Reason, string Host, int Pid, string? Job, string? Log, string Time);

    readonly FileLease _lease;
    readonly string _key;
    readonly string _failureFile;
    bool _released;

    RunClaim(FileLease lease, string key, string failureFile)
    {
        _lease = lease;
        _key = key;
        _failureFile = failureFile;
        AppDomain.CurrentDomain.ProcessExit += Stopped;
        lock (Live) Live.Add(this);
        _ = Signals.Value;
    }

    /// <summary>This process's claims not yet released.</summary>
    static readonly HashSet<RunClaim> Live = [];

    /// <summary>
    /// SIGTERM (Slurm's time limit, scancel) and SIGINT (Ctrl+C) record each live claim's failure and release it; the
    /// signal then ends the process as it would have (the runtime does not raise ProcessExit for them while a run trains).
    /// </summary>
    static readonly Lazy<PosixSignalRegistration[]> Signals = new(() => OperatingSystem.IsWindows() ? []
        : [PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal)]);

    static void OnSignal(PosixSignalContext context)
    {
        RunClaim[] live;
        lock (Live) live = [.. Live];
        foreach (var claim in live) claim.Stopped(context.Signal, EventArgs.Empty);
    }

    public static string Folder(ResultsStore store, RunSpec spec) => Path.Combine(store.RunDirectory(spec), FolderName);

    /// <summary>Claims the run, waiting (with one message per holder) while another live process trains it.</summary>
    public static RunClaim Acquire(ResultsStore store, RunSpec spec, Action<string>? message = null)
    {
        var key = spec.Key;
        var lease = FileLease.Acquire(Folder(store, spec), h => message?.Invoke($"{key}: {h} is training this run; waiting for it"));
        var failure = Path.Combine(store.RunDirectory(spec), FailureFile);
        if (File.Exists(failure)) File.Delete(failure);   // a new attempt
        return new RunClaim(lease, key, failure);
    }

    /// <summary>The last failed attempt's record, or null.</summary>
    public static Failure? LastFailure(ResultsStore store, RunSpec spec)
    {
        var path = Path.Combine(store.RunDirectory(spec), FailureFile);
        try { return JsonSerializer.Deserialize<Failure>(File.ReadAllText(path), Json.Options); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        catch (JsonException e) { throw new InvalidDataException($"{path}: unreadable failure record ({e.Message}); delete it.", e); }
    }

    /// <summary>True once another process took the run over (it judged this one dead).</summary>
    public bool Lost => _lease.Lost;

    /// <summary>The trainer's observer, stopping training at the next batch once the claim is lost.</summary>
    public ITrainingObserver Guard(ITrainingObserver inner) => new Guarded(inner, this);

    /// <summary>Records why this attempt ended (the claim is released by <see cref="Dispose"/>).</summary>
    public void Fail(string reason)
    {
        if (Lost) return;   // the run is another process's now
        var me = _lease.Owner;
        try
        {
            AtomicFile.WriteAllText(_failureFile, JsonSerializer.Serialize(new Failure(_key, reason, me.Host, me.Pid, me.Job, me.Log,
                DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)), Json.Options));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }   // the failure itself still surfaces
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= Stopped;
        lock (Live) Live.Remove(this);
        _released = true;
        _lease.Dispose();
    }

    // a signal (see Signals), or the process exiting while the run trains
    void Stopped(object? sender, EventArgs e)
    {
        if (_released) return;
        Fail(sender is PosixSignal signal
            ? $"the process was stopped by {signal} before the run finished (Slurm's time limit and scancel send SIGTERM, Ctrl+C SIGINT); --resume continues from its last checkpoint"
            : "the process exited before the run finished; --resume continues from its last checkpoint");
        Dispose();
    }

    sealed class Guarded(ITrainingObserver inner, RunClaim claim) : ITrainingObserver
    {
        void Check()
        {
            if (claim.Lost)
                throw new InvalidOperationException($"{claim._key}: another process took this run over (this one's heartbeat looked dead to it); stopping so that only one process writes it.");
        }

        public void EpochStarted(int epoch, int epochs, int batches) { Check(); inner.EpochStarted(epoch, epochs, batches); }
        public void BatchDone(int epoch, int batch, int batches, IReadOnlyDictionary<string, double> losses) { Check(); inner.BatchDone(epoch, batch, batches, losses); }
        public void EpochDone(EpochRecord record) => inner.EpochDone(record);
        public void Message(string text) => inner.Message(text);
    }
}
