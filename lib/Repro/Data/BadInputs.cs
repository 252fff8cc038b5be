using System.Collections.Concurrent;

namespace Repro.Data;

/// <summary>
/// Every bad input a check over a dataset finds (a missing file, a truncated WAV), reported once at the end instead of
/// one per run: a single problem is thrown as it was raised; several become one <see cref="BadInputsException"/> (an <see cref="IOException"/>)
/// listing the first <see cref="Listed"/> (in dataset order) and counting the rest.
/// </summary>
public sealed class BadInputs
{
    /// <summary>How many problems an error lists by name.</summary>
    public const int Listed = 20;

    readonly ConcurrentBag<(long Order, int Part, Exception Error)> _found = new();

    long _added;

    public int Count => _found.Count;

    /// <summary>
    /// Records a problem, at <paramref name="order"/> in the report (the order of adding when null); the problems of an
    /// earlier check's <see cref="BadInputsException"/> are recorded one by one.
    /// </summary>
    public void Add(Exception error, long? order = null)
    {
        long at = order ?? Interlocked.Increment(ref _added);
        if (error is BadInputsException several)
            for (int i = 0; i < several.Problems.Count; i++) _found.Add((at, i, several.Problems[i]));
        else _found.Add((at, 0, error));
    }

    /// <summary>A problem found without an exception: recorded as an <see cref="InvalidDataException"/> with this message.</summary>
    public void Add(string problem, long? order = null) => Add(new InvalidDataException(problem), order);

    /// <summary>True for the exceptions that mean bad input, not a bug: unreadable, missing or malformed files.</summary>
    public static bool IsBadInput(Exception e) => e is IOException or InvalidDataException or FormatException or UnauthorizedAccessException;

    /// <summary>Throws when anything was found (see the class summary); <paramref name="what"/> names what was checked.</summary>
    public void ThrowIfAny(string what)
    {
        var found = _found.OrderBy(f => f.Order).ThenBy(f => f.Part).Select(f => f.Error).DistinctBy(e => e.Message).ToArray();
        if (found.Length == 0) return;
        if (found.Length == 1) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(found[0]);
        throw new BadInputsException(what, found);
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

    /// <summary>Runs every step in order, even after one meets bad input, and throws the bad inputs of all of them together.</summary>
    public static T[] All<T>(string what, params Func<T>[] steps)
    {
        var bad = new BadInputs();
        var results = new T[steps.Length];
        for (int i = 0; i < steps.Length; i++)
        {
            try { results[i] = steps[i](); }
            catch (Exception e) when (IsBadInput(e)) { bad.Add(e, i); }
        }
        bad.ThrowIfAny(what);
        return results;
    }

    /// <inheritdoc cref="All{T}"/>
    public static void All(string what, IEnumerable<Action> steps) => All(what, [.. steps.Select(step => (Func<bool>)(() => { step(); return true; }))]);
}

/// <summary>Several bad inputs found by one check: the first <paramref name="listed"/> (<see cref="BadInputs.Listed"/>) named in the message, the rest counted.</summary>
public sealed class BadInputsException(string what, IReadOnlyList<Exception> problems, int listed = BadInputs.Listed) : IOException(Format(what, problems, listed))
{
    /// <summary>Every problem, in dataset order.</summary>
    public IReadOnlyList<Exception> Problems { get; } = problems;

    static string Format(string what, IReadOnlyList<Exception> problems, int count)
    {
        var listed = string.Join("\n", problems.Take(count).Select(e => "  " + e.Message));
        var more = problems.Count > count ? $"\n  and {problems.Count - count} more" : "";
        return $"{what}: {problems.Count} bad inputs; fix or remove them and run again:\n{listed}{more}";
    }
}
