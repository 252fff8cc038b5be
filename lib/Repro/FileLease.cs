using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Repro;

/// <summary>
/// An exclusive lease on one thing in a folder that many processes on many machines share (a results store on a shared
/// filesystem): a run being trained, a stand-in being generated. The lease is a folder of generation files
/// <c>&lt;n&gt;.json</c>, each naming its holder; the highest generation holds the lease. Files are created with O_EXCL
/// (atomic on local filesystems and NFS v3 and later), so no two processes ever hold the same generation. The holder
/// touches its file every sixth of the stale limit; a holder whose file is older than the limit, or that is a process of
/// this machine that no longer runs, has died, and the next process creates the next generation (again exclusively)
/// and removes the older ones. A holder that finds its file gone or a newer generation has lost the lease (<see cref="Lost"/>).
/// Threads of one process exclude each other the same way: a lease of this process is alive while its object is undisposed.
/// </summary>
public sealed class FileLease : IDisposable
{
    /// <summary>
    /// Who holds a lease: enough to find the process and its log. <paramref name="ProcessStart"/> tells a reused pid
    /// apart (clock ticks since boot on Linux, else seconds); <paramref name="Token"/> tells two holders apart.
    /// </summary>
    public sealed record Holder(string Host, int Pid, long ProcessStart, string Since, string? Job, string? Log, string Token)
    {
        /// <summary>"host pid N (Slurm job J), since T".</summary>
        public override string ToString() => $"{Host} pid {Pid}{(Job is null ? "" : $" (Slurm job {Job})")}, since {Since}";
    }

    /// <summary>The holder of a lease folder and whether it is still alive.</summary>
    public sealed record State(Holder? Holder, bool Alive, DateTime Heartbeat);

    /// <summary>How long a holder may go without a heartbeat before it counts as dead: REPRO_LEASE_STALE_SECONDS, else 5 minutes.</summary>
    public static TimeSpan DefaultStaleAfter =>
        double.TryParse(Environment.GetEnvironmentVariable("REPRO_LEASE_STALE_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0
            ? TimeSpan.FromSeconds(s) : TimeSpan.FromMinutes(5);

    static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    /// <summary>This process's undisposed leases: token -> the thread that acquired it.</summary>
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Held = new();

    readonly string _file;
    readonly Timer _heartbeat;
    readonly object _gate = new();
    bool _disposed;

    FileLease(string folder, string file, Holder holder, TimeSpan staleAfter)
    {
        Folder = folder;
        _file = file;
        Owner = holder;
        var period = staleAfter / 6;
        _heartbeat = new Timer(_ => Beat(), null, period, period);
    }

    public string Folder { get; }
    public Holder Owner { get; }

    /// <summary>True once another process took the lease over (it judged this one dead): stop writing what the lease guards.</summary>
    public bool Lost { get; private set; }

    /// <summary>This process as a holder: host, pid, process start, Slurm job and log (REPRO_LOG) when set.</summary>
    public static Holder Me()
    {
        var arrayJob = Environment.GetEnvironmentVariable("SLURM_ARRAY_JOB_ID");
        var job = arrayJob is not null ? $"{arrayJob}_{Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID")}" : Environment.GetEnvironmentVariable("SLURM_JOB_ID");
        return new Holder(Environment.MachineName, Environment.ProcessId, SelfStart.Value,
            DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture), job,
            Environment.GetEnvironmentVariable("REPRO_LOG"), Guid.NewGuid().ToString("N"));
    }

    /// <summary>The lease when no live process holds it, else null.</summary>
    public static FileLease? TryAcquire(string folder, TimeSpan? staleAfter = null)
    {
        var stale = staleAfter ?? DefaultStaleAfter;
        while (true)
        {
            var (lease, retry) = Attempt(folder, stale, out _);
            if (!retry) return lease;
        }
    }

    /// <summary>
    /// The lease, waiting while a live process holds it (<paramref name="waiting"/> hears about each new holder once).
    /// Waiting for this very process would never end, so that is an error.
    /// </summary>
    public static FileLease Acquire(string folder, Action<Holder>? waiting = null, TimeSpan? staleAfter = null, CancellationToken cancel = default)
    {
        var stale = staleAfter ?? DefaultStaleAfter;
        string? told = null;
        while (true)
        {
            var (lease, retry) = Attempt(folder, stale, out var holder);
            if (lease is not null) return lease;
            if (retry) continue;
            if (holder is not null && IsThisProcess(holder) && Held.TryGetValue(holder.Token, out var thread) && thread == Environment.CurrentManagedThreadId)
                throw new InvalidOperationException($"{folder}: this thread already holds the lease (since {holder.Since}); it cannot wait for itself.");
            if (holder is not null && holder.Token != told)
            {
                told = holder.Token;
                waiting?.Invoke(holder);
            }
            cancel.WaitHandle.WaitOne(Poll);
            cancel.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Who holds the lease folder now and whether it is alive; null when nobody does.</summary>
    public static State? Inspect(string folder, TimeSpan? staleAfter = null)
    {
        var top = Generations(folder).DefaultIfEmpty(-1).Max();
        if (top < 0) return null;
        var file = GenerationFile(folder, top);
        var holder = Read(file);
        DateTime beat;
        try { beat = File.GetLastWriteTimeUtc(file); }
        catch (IOException) { return null; }
        if (!File.Exists(file)) return null;
        return new State(holder, IsAlive(holder, beat, staleAfter ?? DefaultStaleAfter), beat);
    }

    /// <summary>One try: (the lease, false) / (null, false) when a live holder has it / (null, true) when the folder changed under us.</summary>
    static (FileLease? Lease, bool Retry) Attempt(string folder, TimeSpan stale, out Holder? holder)
    {
        holder = null;
        Directory.CreateDirectory(folder);
        var generations = Generations(folder);
        int next = 0;
        if (generations.Count > 0)
        {
            var top = generations.Max();
            var file = GenerationFile(folder, top);
            holder = Read(file);
            DateTime beat;
            try
            {
                beat = File.GetLastWriteTimeUtc(file);
                if (!File.Exists(file)) return (null, true);   // released while we looked
            }
            catch (IOException) { return (null, true); }
            if (IsAlive(holder, beat, stale)) return (null, false);
            next = top + 1;
        }
        var me = Me();
        var path = GenerationFile(folder, next);
        Held[me.Token] = Environment.CurrentManagedThreadId;   // before the file exists, so this process's other threads see it alive
        try
        {
            using var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            JsonSerializer.Serialize(fs, me, Json.Options);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or IOException)
        {
            Held.TryRemove(me.Token, out _);
            // the last holder removed the empty folder, or another process created this generation first
            if (e is DirectoryNotFoundException || File.Exists(path)) return (null, true);
            throw;
        }
        foreach (var older in Generations(folder).Where(g => g < next))
            TryDelete(GenerationFile(folder, older));
        return (new FileLease(folder, path, me, stale), false);
    }

    static bool IsAlive(Holder? holder, DateTime heartbeat, TimeSpan stale)
    {
        if (holder is not null && IsThisProcess(holder)) return Held.ContainsKey(holder.Token);
        // a process of this machine: alive exactly while it runs (the start time guards against a reused pid)
        if (holder is not null && holder.Host == Environment.MachineName)
            return StartOf(holder.Pid) is { } start && Math.Abs(start - holder.ProcessStart) <= (OperatingSystem.IsLinux() ? 0 : 1);
        // another machine (or a file still being written): alive while its heartbeat is recent
        return DateTime.UtcNow - heartbeat < stale;
    }

    /// <summary>
    /// When a running process started, null when none runs with that pid: on Linux the clock ticks since boot of
    /// /proc/pid/stat (exact; <see cref="Process.StartTime"/> derives boot time from the uptime when asked, so two
    /// processes read slightly different values), elsewhere whole seconds of <see cref="Process.StartTime"/>.
    /// </summary>
    internal static long? StartOf(int pid)
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');   // from field 3, the state
                return fields[0] == "Z" ? null : long.Parse(fields[19], CultureInfo.InvariantCulture);   // field 22: starttime
            }
            using var p = Process.GetProcessById(pid);
            return p.HasExited ? null : p.StartTime.ToUniversalTime().Ticks / TimeSpan.TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or FormatException) { return null; }
    }

    static readonly Lazy<long> SelfStart = new(() => StartOf(Environment.ProcessId) ?? throw new InvalidOperationException("cannot read this process's start time"));

    static bool IsThisProcess(Holder h) => h.Host == Environment.MachineName && h.Pid == Environment.ProcessId && h.ProcessStart == SelfStart.Value;

    static List<int> Generations(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        try
        {
            return Directory.EnumerateFiles(folder, "*.json")
                .Select(f => int.TryParse(Path.GetFileNameWithoutExtension(f), NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? g : -1)
                .Where(g => g >= 0).ToList();
        }
        catch (DirectoryNotFoundException) { return []; }
    }

    static string GenerationFile(string folder, int generation) => Path.Combine(folder, $"{generation}.json");

    static Holder? Read(string file)
    {
        try { return JsonSerializer.Deserialize<Holder>(File.ReadAllText(file), Json.Options); }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException) { return null; }   // gone, or still being written
    }

    bool StillMine() => Read(_file)?.Token == Owner.Token && !Generations(Folder).Any(g => g > int.Parse(Path.GetFileNameWithoutExtension(_file), CultureInfo.InvariantCulture));

    void Beat()
    {
        lock (_gate)
        {
            if (_disposed || Lost) return;
            try
            {
                if (StillMine()) File.SetLastWriteTimeUtc(_file, DateTime.UtcNow);
                else Lost = true;
            }
            catch (IOException) { Lost = true; }
        }
    }

    /// <summary>Releases the lease (its file, and the folder when empty); a lost lease's file belongs to someone else and stays.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _heartbeat.Dispose();
            Held.TryRemove(Owner.Token, out _);
            if (!Lost && Read(_file)?.Token == Owner.Token) TryDelete(_file);
            try { Directory.Delete(Folder); }
            catch (IOException) { }   // not empty (a newer holder), or already gone
            catch (UnauthorizedAccessException) { }
        }
    }

    static void TryDelete(string file)
    {
        try { File.Delete(file); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
