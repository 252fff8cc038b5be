using System.Globalization;
using System.Net;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Notebooks.Formatting;

/// <summary>
/// TorchSharp tensors: a header line (shape, dtype, device, requires_grad) and the values, in full up to
/// <see cref="FormatContext.MaxTensorElements"/> elements, else the first and last values of the flattened tensor and,
/// for real types, min, max and mean. Temporaries live in their own dispose scope.
/// </summary>
internal static class TensorFormatter
{
    const int Edge = 10;

    public static string PlainText(Tensor t, FormatContext ctx)
    {
        var (header, values) = Describe(t, ctx);
        return header + "\n" + values;
    }

    public static string Html(Tensor t, FormatContext ctx)
    {
        var (header, values) = Describe(t, ctx);
        return $"<div class=\"repro-tensor\"><code>{WebUtility.HtmlEncode(header)}</code><pre>{WebUtility.HtmlEncode(values)}</pre></div>";
    }

    static (string Header, string Values) Describe(Tensor t, FormatContext ctx)
    {
        if (t.IsInvalid) return ("Tensor (disposed)", "");
        var header = $"Tensor shape [{string.Join(", ", t.shape)}], dtype {t.dtype}, device {t.device}" + (t.requires_grad ? ", requires_grad" : "");
        using var scope = NewDisposeScope();
        var v = t.detach();
        var n = v.numel();
        if (n <= ctx.MaxTensorElements) return (header, Str(v));
        var flat = v.flatten();
        var sb = new StringBuilder();
        sb.Append($"{n} values; first {Edge}: ").Append(Str(flat.narrow(0, 0, Edge)));
        sb.Append($"\nlast {Edge}: ").Append(Str(flat.narrow(0, n - Edge, Edge)));
        if (v.is_floating_point() || v.dtype is ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64)
        {
            var d = flat.to(ScalarType.Float64);
            sb.Append(CultureInfo.InvariantCulture,
                $"\nmin {d.min().item<double>():G6}, max {d.max().item<double>():G6}, mean {d.mean().item<double>():G6}");
        }
        return (header, sb.ToString());
    }

    static string Str(Tensor t) => t.ToString(TorchSharp.TensorStringStyle.Numpy, "g6", 100, CultureInfo.InvariantCulture, "\n");
}
