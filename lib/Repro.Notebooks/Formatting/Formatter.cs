using System.Collections;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Analysis;
using Plotly.NET;
using static TorchSharp.torch;

namespace Repro.Notebooks.Formatting;

/// <summary>How a value was formatted: its MIME bundle and the output metadata the formatters wrote.</summary>
public sealed record FormattedValue(MimeBundle Data, JsonObject Metadata);

/// <summary>
/// The registry of formatters: for a type and a MIME type, a function that renders a value as text of that MIME type.
/// The most specific registration applies (the exact type, then base classes nearest first, then interfaces, then
/// object); among equally specific ones the latest registered wins, so the kit can override the built-ins. A renderer
/// may return null to decline, and the next one is tried. Every value gets text/plain, from ToString() when no
/// formatter gives it.
/// <para>Built-ins: string (text/plain); <see cref="HtmlContent"/>; Plotly.NET <see cref="GenericChart"/> (the plotly.js
/// figure as application/vnd.plotly.v1+json and a static image/svg+xml: see <see cref="PlotlyChartFormatter"/>); Microsoft.Data.Analysis
/// <see cref="DataFrame"/> (HTML table of the first rows with a row count, and text); TorchSharp <see cref="Tensor"/>
/// (shape, dtype, device and values, truncated); any other IEnumerable (an HTML table of its items' public properties,
/// or of the items themselves when they are simple values, and a text list).</para>
/// </summary>
public static class Formatter
{
    sealed record Registration(Type Type, string MimeType, Func<object, FormatContext, string?> Render, long Order);

    static readonly object Gate = new();
    static List<Registration> _registrations = [];
    static long _order;

    static Formatter() => ResetToDefaults();

    /// <summary>Registers an HTML (or other <paramref name="mimeType"/>) formatter for <typeparamref name="T"/> and the types
    /// derived from it. For a JSON MIME type (application/json, application/*+json) the renderer returns JSON text, which
    /// the output carries as a JSON value.</summary>
    public static void Register<T>(Func<T, string?> render, string mimeType = MimeBundle.Html) =>
        Register(typeof(T), mimeType, (o, _) => render((T)o));

    /// <summary>Registers a formatter that uses the run's <see cref="FormatContext"/> (row limits, per-notebook state).</summary>
    public static void Register<T>(Func<T, FormatContext, string?> render, string mimeType = MimeBundle.Html) =>
        Register(typeof(T), mimeType, (o, c) => render((T)o, c));

    public static void Register(Type type, string mimeType, Func<object, FormatContext, string?> render)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrWhiteSpace(mimeType);
        ArgumentNullException.ThrowIfNull(render);
        lock (Gate)
            _registrations = [.. _registrations, new Registration(type, mimeType, render, ++_order)];
    }

    /// <summary>Removes every registration added since start-up and restores the built-ins.</summary>
    public static void ResetToDefaults()
    {
        lock (Gate)
        {
            _registrations = [];
            RegisterBuiltIns();
        }
    }

    static void RegisterBuiltIns()
    {
        Register<string>(s => s, MimeBundle.PlainText);
        Register<HtmlContent>(h => h.Html, MimeBundle.Html);
        Register<HtmlContent>(h => h.Html, MimeBundle.PlainText);
        Register<GenericChart>(PlotlyChartFormatter.FigureJson, Repro.Reporting.PlotlyFigure.MimeType);
        Register<GenericChart>(PlotlyChartFormatter.Svg, PlotlyChartFormatter.SvgMimeType);
        Register<GenericChart>(PlotlyChartFormatter.Text, MimeBundle.PlainText);
        Register<DataFrame>(DataFrameFormatter.Html, MimeBundle.Html);
        Register<DataFrame>(DataFrameFormatter.PlainText, MimeBundle.PlainText);
        Register<Tensor>(TensorFormatter.Html, MimeBundle.Html);
        Register<Tensor>(TensorFormatter.PlainText, MimeBundle.PlainText);
        Register<IEnumerable>(EnumerableFormatter.Html, MimeBundle.Html);
        Register<IEnumerable>(EnumerableFormatter.PlainText, MimeBundle.PlainText);
    }

    /// <summary>The MIME types formatters can give for a type (text/plain always).</summary>
    public static IReadOnlyList<string> MimeTypesFor(Type type)
    {
        var regs = _registrations;
        return regs.Where(r => Distance(r.Type, type) >= 0).Select(r => r.MimeType)
            .Append(MimeBundle.PlainText).Distinct().ToList();
    }

    /// <summary>
    /// Formats a value. Without <paramref name="mimeTypes"/>, every MIME type a formatter gives (and text/plain);
    /// with them, exactly those (a type no formatter gives falls back to the text form, HTML-encoded for text/html).
    /// </summary>
    public static FormattedValue Format(object? value, FormatContext? context = null, IReadOnlyCollection<string>? mimeTypes = null)
    {
        context ??= new FormatContext();
        var metadata = new JsonObject();
        context.OutputMetadata = metadata;
        var data = new MimeBundle();
        var wanted = mimeTypes is { Count: > 0 } ? mimeTypes : null;
        if (value is null)
        {
            data.SetText(MimeBundle.PlainText, "<null>");
            if (wanted is not null)
                foreach (var m in wanted.Where(m => m != MimeBundle.PlainText)) data.SetText(m, Fallback(m, "<null>"));
            return new FormattedValue(data, metadata);
        }

        var type = value.GetType();
        var applicable = _registrations
            .Select(r => (r, d: Distance(r.Type, type)))
            .Where(x => x.d >= 0)
            .OrderBy(x => x.d).ThenByDescending(x => x.r.Order)
            .ToList();
        var mimes = wanted ?? applicable.Select(x => x.r.MimeType).Append(MimeBundle.PlainText).Distinct().ToList();
        foreach (var mime in mimes)
        {
            string? text = null;
            foreach (var (r, _) in applicable.Where(x => x.r.MimeType == mime))
            {
                try { text = r.Render(value, context); }
                catch (Exception e) { text = RenderFailure(mime, r.Type, e); }
                if (text is not null) break;
            }
            if (text is not null && MimeBundle.IsJsonMime(mime)) data.SetJson(mime, JsonNode.Parse(text));
            else if (text is not null) data.SetText(mime, text);
            else if (wanted is not null || mime == MimeBundle.PlainText) data.SetText(mime, Fallback(mime, SafeToString(value)));
            // else: every formatter for this MIME type declined (e.g. the sequence table for a string): leave it out
        }
        return new FormattedValue(data, metadata);
    }

    static string Fallback(string mime, string text) =>
        mime == MimeBundle.Html ? $"<pre>{WebUtility.HtmlEncode(text)}</pre>" : text;

    static string RenderFailure(string mime, Type type, Exception e)
    {
        var msg = $"(the {mime} formatter for {type.Name} failed: {e.GetType().Name}: {e.Message})";
        return mime == MimeBundle.Html ? $"<pre>{WebUtility.HtmlEncode(msg)}</pre>" : msg;
    }

    internal static string SafeToString(object? value)
    {
        try { return value?.ToString() ?? "<null>"; }
        catch (Exception e) { return $"({value!.GetType().Name}.ToString() failed: {e.Message})"; }
    }

    /// <summary>How specific a registration is for a runtime type: 0 the type itself, 1.. its base classes, then
    /// interfaces, then object; -1 when it does not apply.</summary>
    static int Distance(Type registered, Type actual)
    {
        if (registered == actual) return 0;
        if (registered == typeof(object)) return int.MaxValue;
        if (registered.IsInterface) return registered.IsAssignableFrom(actual) ? 10_000 : -1;
        var d = 0;
        for (var t = actual; t is not null; t = t.BaseType, d++)
            if (t == registered) return d;
        return -1;
    }
}
