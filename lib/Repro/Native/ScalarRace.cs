namespace Repro.Native;

/// <summary>
/// How a libtorch call fails when TorchSharp 0.107's finalizer freed the temporary <c>Scalar</c> it was reading
/// (<see cref="HeldScalars"/>, environment.md "Temporary scalars"): the freed memory holds no scalar ("Unknown scalar
/// type", an internal assert in c10/core/Scalar.h) or another one (an integral tensor given a floating alpha). A step that
/// fails this way changed nothing the last checkpoint holds, so a run continues from that checkpoint.
/// </summary>
public static class ScalarRace
{
    /// <summary>Retries of one run in a row; a failure that comes back this often is a real error.</summary>
    public const int MaxRetries = 3;

    static readonly string[] Signatures =
    [
        "Unknown scalar type",
        "Expected false to be true",
        "c10/core/Scalar.h",
        "argument alpha must not be a floating point number",
    ];

    public static bool Matches(Exception e) =>
        e is System.Runtime.InteropServices.ExternalException or InvalidOperationException or ArgumentException
        && Signatures.Any(s => e.Message.Contains(s, StringComparison.Ordinal));

    /// <summary>One line for the log: the failure's first line and what it is.</summary>
    public static string Describe(Exception e) =>
        $"libtorch read a scalar TorchSharp had already freed (\"{e.Message.Split('\n')[0].Trim()}\")";
}
