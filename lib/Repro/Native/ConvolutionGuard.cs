using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Native;

/// <summary>
/// Every convolution of the kit's encoders goes through here. libtorch 2.10's oneDNN, at this CPU's AVX-512 instruction
/// set, sometimes returns a non-finite input gradient (backward-data) for convolutions whose channel counts do not fill
/// its 16-lane channel blocks, with one thread as with two; its forward and weight-gradient kernels never did (environment.md, "oneDNN
/// convolutions"). Those convolutions, when a gradient is wanted, compute their input gradient with a forward
/// convolution instead (<see cref="ForwardKernelConvolution"/>); the few that route does not cover (groups, dilation)
/// fall back to im2col + GEMM or a one-thread backward. Everything else keeps oneDNN at the native instruction set and
/// all threads.
/// </summary>
public static class ConvolutionGuard
{
    /// <summary>
    /// oneDNN's channel block for float32 on AVX-512 (16 lanes; AVX2's 8 divides it). Measured: the input gradient of an
    /// 8 -> 8 convolution was non-finite in 21 of 150 repeats with 2 threads and 2 of 150 with 1; 16 -> 16 in none.
    /// </summary>
    public const long ChannelBlock = 16;

    /// <summary>False when REPRO_CONV_GUARD=off: every convolution stays on oneDNN (to measure the race).</summary>
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("REPRO_CONV_GUARD") is not "off";

    /// <summary>True when a convolution's backward pass is exposed to the race: a channel count that is not whole blocks.</summary>
    public static bool Exposed(long inChannels, long outChannels, long groups = 1) =>
        groups != 1 || inChannels % ChannelBlock != 0 || outChannels % ChannelBlock != 0;

    /// <summary>The module's convolution of <paramref name="x"/>, routed around oneDNN's backward where exposed.</summary>
    public static Tensor Conv2d(Conv2d conv, Tensor x)
    {
        Tensor weight = conv.weight!;
        var padding = conv.padding ?? throw new NotSupportedException("ConvolutionGuard: padding given by name ('same', 'valid') is not supported; give it in pixels.");
        _recording?.Add(new ConvolutionShape(x.shape, weight.shape, conv.stride, padding, conv.dilation, conv.groups, conv.bias is not null, x.requires_grad));
        return Conv2d(conv, x, Route(x, weight, padding, conv.dilation, conv.groups));
    }

    /// <summary>The module's convolution of <paramref name="x"/> on the kernels of <paramref name="route"/> (the benchmarks compare them).</summary>
    public static Tensor Conv2d(Conv2d conv, Tensor x, ConvolutionRoute route)
    {
        if (route == ConvolutionRoute.OneDnn) return conv.call(x);
        Tensor weight = conv.weight!;
        var padding = conv.padding!;
        if (conv.padding_mode != PaddingModes.Zeros)
        {
            x = nn.functional.pad(x, [padding[1], padding[1], padding[0], padding[0]], conv.padding_mode);
            padding = [0, 0];
        }
        switch (route)
        {
            case ConvolutionRoute.ForwardKernels:
                return ForwardKernelConvolution.Apply(x, weight, conv.bias, conv.stride, padding);
            case ConvolutionRoute.Im2col:
                return Im2col(x, weight, conv.bias, conv.stride, padding, conv.dilation);
            default:
                // End on the weight: its backward follows the convolution's; Begin on the output precedes it.
                var y = nn.functional.conv2d(x, SingleThreadedBackward.End(weight), conv.bias, conv.stride, padding, conv.dilation, conv.groups);
                return SingleThreadedBackward.Begin(y);
        }
    }

    /// <summary>A convolution as one GEMM over the unfolded input: y = W (OC x IC·kh·kw) · unfold(x) + b.</summary>
    public static Tensor Im2col(Tensor x, Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] dilation)
    {
        long n = x.shape[0], oc = weight.shape[0], kh = weight.shape[2], kw = weight.shape[3];
        long ho = (x.shape[2] + 2 * padding[0] - dilation[0] * (kh - 1) - 1) / stride[0] + 1;
        long wo = (x.shape[3] + 2 * padding[1] - dilation[1] * (kw - 1) - 1) / stride[1] + 1;
        var columns = nn.functional.unfold(x, (kh, kw), (dilation[0], dilation[1]), (padding[0], padding[1]), (stride[0], stride[1]));
        var y = weight.reshape(oc, -1).matmul(columns);
        if (bias is not null) y = y + bias.view(1, oc, 1);
        return y.view(n, oc, ho, wo);
    }

    [ThreadStatic] static List<ConvolutionShape>? _recording;
    [ThreadStatic] static ConvolutionRoute? _forced;

    /// <summary>Until disposed, every exposed convolution on this thread that wants a gradient takes <paramref name="route"/> (the benchmarks' A/B).</summary>
    public static IDisposable Forcing(ConvolutionRoute route)
    {
        var outer = _forced;
        _forced = route;
        return new TorchRuntime.Restore(() => _forced = outer);
    }

    /// <summary>The distinct convolutions <paramref name="run"/> performs on this thread through <see cref="Conv2d"/>, in order.</summary>
    public static IReadOnlyList<ConvolutionShape> Record(Action run)
    {
        var outer = _recording;
        _recording = new();
        try
        {
            run();
            return _recording.Distinct().ToList();
        }
        finally
        {
            _recording = outer;
        }
    }

    /// <summary>Which kernels a convolution of <paramref name="x"/> by <paramref name="weight"/> runs on here.</summary>
    public static ConvolutionRoute Route(Tensor x, Tensor weight, long[] padding, long[] dilation, long groups = 1)
    {
        if (!Enabled || !TorchRuntime.OneDnnEnabled || x.device_type != DeviceType.CPU || !torch.is_grad_enabled()
            || !(x.requires_grad || weight.requires_grad) || !Exposed(weight.shape[1] * groups, weight.shape[0], groups))
            return ConvolutionRoute.OneDnn;
        if (_forced is { } forced) return forced;
        if (ForwardKernelConvolution.Supports(x, weight, padding, dilation, groups)) return ConvolutionRoute.ForwardKernels;
        if (x.requires_grad && groups == 1 && x.dim() == 4) return ConvolutionRoute.Im2col;
        return IntraOpThreads.Current > 1 ? ConvolutionRoute.SingleThreadedBackward : ConvolutionRoute.OneDnn;
    }
}

/// <summary>The kernels one convolution runs on (<see cref="ConvolutionGuard.Route"/>).</summary>
public enum ConvolutionRoute
{
    /// <summary>libtorch's own choice: oneDNN at the native instruction set, all threads.</summary>
    OneDnn,
    /// <summary>oneDNN forward, its backward on one thread: an exposed convolution with groups whose input needs no gradient.</summary>
    SingleThreadedBackward,
    /// <summary>im2col + GEMM forward and col2im + GEMM backward: an exposed dilated convolution whose input needs a gradient.</summary>
    Im2col,
    /// <summary>oneDNN forward and weight gradient, the input gradient a forward convolution (<see cref="ForwardKernelConvolution"/>).</summary>
    ForwardKernels,
}
