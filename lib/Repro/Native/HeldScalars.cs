using TorchSharp;

namespace Repro.Native;

/// <summary>
/// Scalars that live as long as the process, for the calls a training step makes most often. TorchSharp 0.107 turns
/// every number it hands to libtorch into a temporary <see cref="Scalar"/> owned only by its finalizer, including the
/// alpha of 1 behind every <c>a + b</c> and <c>a - b</c>; a garbage collection started on another thread can free one
/// while libtorch reads it (environment.md, "Temporary scalars"). A held scalar is never finalized.
/// </summary>
public static class HeldScalars
{
    /// <summary>1 (int64): the alpha of a plain sum, <c>a.add(b, One)</c>, and a counter's step.</summary>
    public static readonly Scalar One = 1L.ToScalar();
}
