using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Native;

/// <summary>
/// A convolution that never calls oneDNN's backward-data kernel, the one that returns non-finite input gradients for
/// partial channel blocks (environment.md, "oneDNN convolutions"). The forward pass runs on oneDNN; the input gradient is
/// itself a forward convolution, of the output gradient (dilated by the stride) with the flipped kernel whose two
/// channel axes are swapped,
///   dL/dx = conv2d(dilate_s(dL/dy), flip(W)ᵀ, padding = k - 1 - p);
/// the weight gradient comes from oneDNN's backward-weights kernel, through a graph of the same forward on the saved
/// input, rebuilt in the backward pass (tensors of a graph kept from the forward would belong to the dispose scope
/// of whichever module ran it). Groups 1, dilation 1, zero padding narrower than the kernel (<see cref="Supports"/>).
/// </summary>
public sealed class ForwardKernelConvolution : autograd.SingleTensorFunction<ForwardKernelConvolution>
{
    public override string Name => "ForwardKernelConvolution";

    /// <summary>Whether this route computes the convolution: groups 1, dilation 1, a 4-D input, padding below the kernel.</summary>
    public static bool Supports(Tensor x, Tensor weight, long[] padding, long[] dilation, long groups) =>
        groups == 1 && x.dim() == 4 && dilation.All(d => d == 1) && padding[0] < weight.shape[2] && padding[1] < weight.shape[3];

    /// <summary>conv2d(x, weight, bias, stride, padding) with the gradients above.</summary>
    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias, long[] stride, long[] padding) =>
        apply(x, weight, bias!, stride, padding);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (x, weight, bias) = ((Tensor)vars[0], (Tensor)vars[1], vars[2] as Tensor);
        var (stride, padding) = ((long[])vars[3], (long[])vars[4]);
        ctx.save_for_backward([x, weight]);
        ctx.save_data("stride", stride);
        ctx.save_data("padding", padding);
        ctx.save_data("needs", (x.requires_grad, weight.requires_grad, bias is { requires_grad: true }));
        return nn.functional.conv2d(x, weight, bias, stride, padding);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var (x, weight) = (saved[0], saved[1]);
        var stride = (long[])ctx.get_data("stride");
        var padding = (long[])ctx.get_data("padding");
        var (inputNeeds, weightNeeds, biasNeeds) = ((bool, bool, bool))ctx.get_data("needs");
        var g = grad_output.contiguous();
        var dx = inputNeeds ? InputGradient(g, weight, x.shape, stride, padding) : null;
        Tensor? dw = null;
        if (weightNeeds)
        {
            using var grad = enable_grad();
            var w = weight.detach().requires_grad_(true);
            dw = autograd.grad([nn.functional.conv2d(x.detach(), w, null, stride, padding)], [w], [g])[0];
        }
        var db = biasNeeds ? g.sum([0, 2, 3]) : null;
        return [dx!, dw!, db!, null!, null!];
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
