using System.Diagnostics;
using System.Text.Json;

namespace Repro.Tests.Experiments.Executors;

/// <summary>
/// <see cref="FileLease"/>: one holder at a time among threads and processes, a dead holder's lease taken over, a
/// holder on another machine judged by its heartbeat, and a holder that was taken over knowing it.
/// </summary>
public class FileLeaseTests
{
    [Fact]
    public void ThreadsRacingForAFreeLeaseLetExactlyOneHoldIt()
    {
        var folder = Path.Combine(TestPaths.TempDir("lease"), "x.lock");
        for (int round = 0; round < 20; round++)
        {
            const int n = 8;
            var start = new Barrier(n);
            var leases = new FileLease?[n];
            var threads = Enumerable.Range(0, n).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                leases[i] = FileLease.TryAcquire(folder);
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.Single(leases, l => l is not null);
            foreach (var l in leases) l?.Dispose();
            Assert.False(Directory.Exists(folder), "the last holder removes the empty lease folder");
        }
    }

    [Fact]
    public void ThreadsWaitingForALeaseHoldItOneAfterAnother()
    {
        var folder = Path.Combine(TestPaths.TempDir("lease"), "x.lock");
        int inside = 0, most = 0, done = 0;
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            using (FileLease.Acquire(folder))
            {
                int now = Interlocked.Increment(ref inside);
                InterlockedMax(ref most, now);
                Thread.Sleep(100);
                Interlocked.Decrement(ref inside);
            }
            Interlocked.Increment(ref done);
        })).ToList();
        threads.ForEach(t => t.Start());
        Assert.All(threads, t => Assert.True(t.Join(TimeSpan.FromSeconds(60)), "a waiting thread never got the lease"));
        Assert.Equal(4, done);
        Assert.Equal(1, most);
    }

    [Fact]
    public void AThreadCannotWaitForTheLeaseItHolds()
    {
        var folder = Path.Combine(TestPaths.TempDir("lease"), "x.lock");
        using var held = FileLease.Acquire(folder);
        var e = Assert.Throws<InvalidOperationException>(() => FileLease.Acquire(folder));
        Assert.Contains("this thread already holds the lease", e.Message);
    }

    [Fact]
    public void TheLeaseOfAProcessThatEndedIsTakenOver()
    {
        var folder = Path.Combine(TestPaths.TempDir("lease"), "x.lock");
        int pid;
        using (var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            p.WaitForExit();
            pid = p.Id;
        }
        WriteHolder(folder, 0, Environment.MachineName, pid, DateTime.UtcNow);
        Assert.False(FileLease.Inspect(folder)!.Alive);
        using var lease = FileLease.TryAcquire(folder);
        Assert.NotNull(lease);
        Assert.Equal(["1.json"], Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.True(FileLease.Inspect(folder)!.Alive);
    }

    [Fact]
    public void TheLeaseOfAnotherLiveProcessOfThisMachineLivesWhateverItsHeartbeat()
    {
        var folder = Path.Combine(TestPaths.TempDir("lease"), "x.lock");
        using var other = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            var start = FileLease.StartOf(other.Id)!.Value;
            Assert.Equal(start, FileLease.StartOf(other.Id));   // read again, exactly the same
            var file = WriteHolder(folder, 0, Environment.MachineName, other.Id, DateTime.UtcNow - TimeSpan.FromHours(1), start);
            Assert.True(FileLease.Inspect(folder)!.Alive);
            Assert.Null(FileLease.TryAcquire(folder));
            // the same pid with another start time is another process: the holder has died
            File.Delete(file);
            WriteHolder(folder, 0, Environment.MachineName, other.Id, DateTime.UtcNow, start - 100);
            Assert.False(FileLease.Inspect(folder)!.Alive);
        }
        finally { other.Kill(); }
        other.WaitForExit();
        Assert.Null(FileLease.StartOf(other.Id));
    }

    [Fact]
    public void AnotherMachinesLeaseLivesWhileItsHeartbeatIsRecent()
    {
        var folder = Path.Combine(TestPaths.TempDir("lease"), "x.lock");
        var file = WriteHolder(folder, 3, "node-that-is-not-this-one", 4242, DateTime.UtcNow);
        Assert.Null(FileLease.TryAcquire(folder, TimeSpan.FromMinutes(5)));
        Assert.Equal("node-that-is-not-this-one pid 4242 (Slurm job 77_3), since 2026-01-01 00:00:00Z", FileLease.Inspect(folder)!.Holder!.ToString());

        File.SetLastWriteTimeUtc(file, DateTime.UtcNow - TimeSpan.FromMinutes(6));
        Assert.False(FileLease.Inspect(folder, TimeSpan.FromMinutes(5))!.Alive);
        using var lease = FileLease.TryAcquire(folder, TimeSpan.FromMinutes(5));
        Assert.NotNull(lease);
        Assert.Equal(["4.json"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void AHolderThatWasTakenOverKnowsItLostAndLeavesTheNewHoldersFile()
    {
        var folder = Path.Combine(TestPaths.TempDir("lease"), "x.lock");
        var lease = FileLease.TryAcquire(folder, TimeSpan.FromSeconds(0.6))!;   // heartbeat every 0.1 s
        Assert.False(lease.Lost);
        var newer = WriteHolder(folder, 1, "node-that-is-not-this-one", 1, DateTime.UtcNow);   // as a process that judged it dead does
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!lease.Lost && DateTime.UtcNow < until) Thread.Sleep(50);
        Assert.True(lease.Lost);
        lease.Dispose();
        Assert.True(File.Exists(newer));
    }

    static string WriteHolder(string folder, int generation, string host, int pid, DateTime beat, long start = 0)
    {
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"{generation}.json");
        File.WriteAllText(file, JsonSerializer.Serialize(new FileLease.Holder(host, pid, start, "2026-01-01 00:00:00Z", "77_3", "/logs/77_3.log", "t" + generation), Json.Options));
        File.SetLastWriteTimeUtc(file, beat);
        return file;
    }

    static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
