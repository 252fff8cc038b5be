namespace Repro.Native;

/// <summary>
/// One 2-D convolution as a model runs it: input (N, C, H, W), weight (O, C / groups, kh, kw), stride, padding,
/// dilation, groups, bias, and whether the input needs a gradient (false for a stem reading data). Recorded by
/// <see cref="ConvolutionGuard.Record"/>; the determinism test and the benchmarks replay these.
/// </summary>
public sealed record ConvolutionShape(long[] Input, long[] Weight, long[] Stride, long[] Padding, long[] Dilation, long Groups, bool Bias, bool InputRequiresGrad)
{
    public long InChannels => Input[1];
    public long OutChannels => Weight[0];

    /// <summary>Multiply-adds of the forward pass.</summary>
    public double MultiplyAdds
    {
        get
        {
            long Out(int d) => (Input[d] + 2 * Padding[d - 2] - Dilation[d - 2] * (Weight[d] - 1) - 1) / Stride[d - 2] + 1;
            return (double)Input[0] * OutChannels * Out(2) * Out(3) * Weight[1] * Weight[2] * Weight[3];
        }
    }

    public bool Equals(ConvolutionShape? other) => other is not null && ToString() == other.ToString();
    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    public override string ToString() =>
        $"x({string.Join("x", Input)}) w({string.Join("x", Weight)}) stride {string.Join(",", Stride)} pad {string.Join(",", Padding)}" +
        (Dilation.Any(d => d != 1) ? $" dil {string.Join(",", Dilation)}" : "") + (Groups != 1 ? $" groups {Groups}" : "") +
        (Bias ? " bias" : "") + (InputRequiresGrad ? "" : " (input without grad)");
}
