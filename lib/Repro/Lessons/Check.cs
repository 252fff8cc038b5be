using static TorchSharp.torch;

namespace Repro.Lessons;

/// <summary>A lesson's computation disagrees with the library's.</summary>
public sealed class LessonCheckFailed(string message) : Exception(message);

/// <summary>
/// How a lesson compares what it computed by hand with what the library computed: it returns a one-line account of the
/// largest difference, or throws <see cref="LessonCheckFailed"/>, so a lesson that drifts from the library fails in CI.
/// </summary>
public static class Check
{
    public const double Tolerance = 1e-6;

    public static string Close(string what, Tensor expected, Tensor actual, double tolerance = Tolerance)
    {
        if (!expected.shape.SequenceEqual(actual.shape))
            throw new LessonCheckFailed($"{what}: the lesson computed shape [{string.Join(", ", expected.shape)}], the library [{string.Join(", ", actual.shape)}].");
        using var diff = (expected.detach().to_type(ScalarType.Float64) - actual.detach().to_type(ScalarType.Float64)).abs();
        var worst = diff.numel() == 0 ? 0 : diff.max().item<double>();
        return Verdict(what, worst, tolerance);
    }

    public static string Close(string what, double expected, double actual, double tolerance = Tolerance) =>
        Verdict(what, Math.Abs(expected - actual), tolerance);

    static string Verdict(string what, double worst, double tolerance) => worst <= tolerance
        ? $"{what}: the lesson and the library agree (largest difference {worst:E1}, tolerance {tolerance:E0})"
        : throw new LessonCheckFailed($"{what}: the lesson and the library differ by {worst:E3}, more than {tolerance:E0}.");
}
