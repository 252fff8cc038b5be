using System.Globalization;

namespace Repro.Reporting.Svg;

/// <summary>Tick values at round steps (1, 2 or 5 times a power of ten), as plotly.js chooses them, with their labels.</summary>
internal static class Ticks
{
    /// <summary>About <paramref name="target"/> ticks inside [lo, hi]; whole numbers only when <paramref name="integer"/>.</summary>
    public static IReadOnlyList<(double Value, string Label)> Nice(double lo, double hi, int target, bool integer = false)
    {
        var step = Step(hi - lo, Math.Max(2, target));
        if (integer) step = Math.Max(1, Math.Round(step));
        var decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        var ticks = new List<(double, string)>();
        for (var v = Math.Ceiling(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
        {
            var r = Math.Round(v, decimals);
            ticks.Add((r, Label(r, decimals)));
        }
        return ticks;
    }

    static double Step(double span, int target)
    {
        var raw = span / target;
        var mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var norm = raw / mag;
        return (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
    }

    static string Label(double v, int decimals)
    {
        if (v == 0) return "0";
        var a = Math.Abs(v);
        return a >= 1e6 || a < 1e-4 ? v.ToString("0.##e0", CultureInfo.InvariantCulture) : v.ToString("F" + decimals, CultureInfo.InvariantCulture);
    }

    /// <summary>The range an axis shows for data in [min, max]: widened when empty or flat; with <paramref name="includeZero"/> (bars) from zero.</summary>
    public static (double Lo, double Hi) Range(double min, double max, bool includeZero, double pad)
    {
        if (double.IsInfinity(min) || double.IsNaN(min)) (min, max) = (0, 1);
        if (includeZero) (min, max) = (Math.Min(min, 0), Math.Max(max, 0));
        if (max - min < 1e-12)
        {
            var d = Math.Abs(max) > 1e-12 ? Math.Abs(max) * 0.1 : 1;
            (min, max) = (min - d, max + d);
        }
        var span = max - min;
        return (includeZero && min == 0 ? 0 : min - span * pad, includeZero && max == 0 ? 0 : max + span * pad);
    }
}
