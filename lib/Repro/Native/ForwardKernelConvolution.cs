using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Native;

/// <summary>
/// A convolution that never calls oneDNN's backward-data kernel, the one that returns non-finite input gradients for
/// partial channel blocks (environment.md, "oneDNN convolutions"). The convolution runs on oneDNN as an ordinary graph
/// node of the detached input, so its backward computes only the weight and bias gradients (oneDNN's backward-weights
/// kernel); a bridge node on its output passes the output gradient through and gives the input its gradient as a
/// forward convolution, of the output gradient (dilated by the stride) with the flipped kernel whose two channel axes
/// are swapped,
///   dL/dx = conv2d(dilate_s(dL/dy), flip(W)ᵀ, padding = k - 1 - p).
/// Groups 1, dilation 1, zero padding narrower than the kernel (<see cref="Supports"/>).
/// </summary>
public static class ForwardKernelConvolution
{
    /// <summary>Whether this route computes the convolution: groups 1, dilation 1, a 4-D input, padding below the kernel.</summary>
    public static bool Supports(Tensor x, Tensor weight, long[] padding, long[] dilation, long groups) =>
        groups == 1 && x.dim() == 4 && dilation.All(d => d == 1) && padding[0] < weight.shape[2] && padding[1] < weight.shape[3];

    /// <summary>conv2d(x, weight, bias, stride, padding) with the gradients above.</summary>
    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias, long[] stride, long[] padding)
    {
        var y = nn.functional.conv2d(x.detach(), weight, bias, stride, padding);
        return x.requires_grad ? InputGradientBridge.apply(y, x, weight.detach(), stride, padding) : y;
    }

    /// <summary>The identity on y, whose backward also gives x its gradient dL/dx.</summary>
    sealed class InputGradientBridge : autograd.SingleTensorFunction<InputGradientBridge>
    {
        public override string Name => "ForwardKernelInputGradient";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (y, x) = ((Tensor)vars[0], (Tensor)vars[1]);
            ctx.save_for_backward([(Tensor)vars[2]]);
            ctx.save_data("input", x.shape);
            ctx.save_data("stride", (long[])vars[3]);
            ctx.save_data("padding", (long[])vars[4]);
            return y.view_as(y);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
        {
            // The dilated gradient and the flipped kernel are freed here, not when the garbage collector finds them.
            using var scope = NewDisposeScope();
            var weight = ctx.get_saved_variables()[0];
            var dx = InputGradient(grad_output.contiguous(), weight, (long[])ctx.get_data("input"),
                                   (long[])ctx.get_data("stride"), (long[])ctx.get_data("padding"));
            return [grad_output, dx.MoveToOuterDisposeScope(), null!, null!, null!];
        }
    }

    /// <summary>dL/dx as a forward convolution of the stride-dilated output gradient with flip(W)ᵀ.</summary>
    static Tensor InputGradient(Tensor g, Tensor weight, long[] inputShape, long[] stride, long[] padding)
    {
        long kh = weight.shape[2], kw = weight.shape[3];
        // Rows and columns of x that no output reads (the stride's remainder) get their zero gradient from the padding.
        long extraH = inputShape[2] - ((g.shape[2] - 1) * stride[0] + kh - 2 * padding[0]);
        long extraW = inputShape[3] - ((g.shape[3] - 1) * stride[1] + kw - 2 * padding[1]);
        if (stride[0] > 1 || stride[1] > 1 || extraH > 0 || extraW > 0)
        {
            var dilated = zeros([g.shape[0], g.shape[1], (g.shape[2] - 1) * stride[0] + 1 + extraH, (g.shape[3] - 1) * stride[1] + 1 + extraW], g.dtype);
            dilated[TensorIndex.Colon, TensorIndex.Colon,
                    TensorIndex.Slice(0, (g.shape[2] - 1) * stride[0] + 1, stride[0]),
                    TensorIndex.Slice(0, (g.shape[3] - 1) * stride[1] + 1, stride[1])] = g;
            g = dilated;
        }
        var kernel = weight.flip(2, 3).transpose(0, 1).contiguous();
        return nn.functional.conv2d(g, kernel, padding: [kh - 1 - padding[0], kw - 1 - padding[1]]);
    }
}
