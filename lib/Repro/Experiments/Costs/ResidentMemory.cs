using System.Globalization;

namespace Repro.Experiments.Costs;

/// <summary>
/// The process's resident memory on Linux (/proc/self/status): the current size (VmRSS) and the peak (VmHWM), which
/// <see cref="ResetPeak"/> lowers to the current size (writing 5 to /proc/self/clear_refs), so a phase of work reports
/// its own peak. Null where /proc is not available.
/// </summary>
public static class ResidentMemory
{
    public static long? CurrentBytes => Read("VmRSS:");
    public static long? PeakBytes => Read("VmHWM:");

    public static void ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Megabytes with no decimals, or "n/a".</summary>
    public static string Megabytes(long? bytes) => bytes is { } b ? (b / (1024.0 * 1024)).ToString("F0", CultureInfo.InvariantCulture) : "n/a";

    static long? Read(string field)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return null;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
