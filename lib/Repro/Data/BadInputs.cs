using System.Collections.Concurrent;

namespace Repro.Data;

/// <summary>
/// Every bad input a check over a dataset finds (a missing file, a truncated WAV), reported once at the end instead of
/// one per run: a single problem is thrown as it was raised; several become one <see cref="InvalidDataException"/>
/// listing the first <see cref="Listed"/> (in dataset order) and counting the rest.
/// </summary>
public sealed class BadInputs
{
    /// <summary>How many problems an error lists by name.</summary>
    public const int Listed = 20;

    readonly ConcurrentBag<(long Order, Exception Error)> _found = new();

    public int Count => _found.Count;

    public void Add(Exception error, long order = 0) => _found.Add((order, error));

    /// <summary>A problem found without an exception: recorded as an <see cref="InvalidDataException"/> with this message.</summary>
    public void Add(string problem, long order = 0) => Add(new InvalidDataException(problem), order);

    /// <summary>True for the exceptions that mean bad input, not a bug: unreadable, missing or malformed files.</summary>
    public static bool IsBadInput(Exception e) => e is IOException or InvalidDataException or FormatException or UnauthorizedAccessException;

    /// <summary>Throws when anything was found (see the class summary); <paramref name="what"/> names what was checked.</summary>
    public void ThrowIfAny(string what)
    {
        var found = _found.OrderBy(f => f.Order).Select(f => f.Error).ToArray();
        if (found.Length == 0) return;
        if (found.Length == 1) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(found[0]);
        var listed = string.Join("\n", found.Take(Listed).Select(e => "  " + e.Message));
        var more = found.Length > Listed ? $"\n  and {found.Length - Listed} more" : "";
        throw new InvalidDataException($"{what}: {found.Length} bad inputs; fix or remove them and run again:\n{listed}{more}");
    }

    /// <summary>
    /// Runs <paramref name="work"/> for every index on all cores; a bad input (<see cref="IsBadInput"/>) is recorded and
    /// the loop goes on, and the whole list is thrown at the end.
    /// </summary>
    public static void ForEach(int count, Action<int> work, string what, IProgress<(int Done, int Total)>? progress = null)
    {
        var bad = new BadInputs();
        int done = 0;
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try { work(i); }
            catch (Exception e) when (IsBadInput(e)) { bad.Add(e, i); }
            progress?.Report((Interlocked.Increment(ref done), count));
        });
        bad.ThrowIfAny(what);
    }
}
