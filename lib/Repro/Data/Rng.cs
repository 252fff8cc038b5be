namespace Repro.Data;

/// <summary>
/// A small, portable seeded generator (SplitMix64). Same seed, same numbers, on every .NET version and machine:
/// the kit never uses System.Random for anything that affects results.
/// </summary>
public sealed class Rng
{
    ulong _state;
    public Rng(ulong seed) => _state = seed;

    /// <summary>A seed derived from a parent seed and any number of integers (epoch, sample index, purpose).</summary>
    public static ulong Derive(ulong seed, params long[] parts)
    {
        ulong s = Mix(seed ^ 0x9E3779B97F4A7C15UL);
        foreach (var p in parts) s = Mix(s ^ (ulong)p * 0xD1B54A32D192ED03UL + 0x632BE59BD9B4E019UL);
        return s;
    }

    static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextULong() => Mix(_state += 0x9E3779B97F4A7C15UL);
    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));
    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n));
        return (int)(NextDouble() * n);
    }
    public double NextUniform(double lo, double hi) => lo + (hi - lo) * NextDouble();
    /// <summary>Standard normal (Box-Muller).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Fisher-Yates permutation of 0..n-1.</summary>
    public int[] Permutation(int n)
    {
        var p = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
