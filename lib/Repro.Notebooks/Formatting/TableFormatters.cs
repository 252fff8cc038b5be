using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using Microsoft.Data.Analysis;

namespace Repro.Notebooks.Formatting;

/// <summary>HTML and text tables shared by the table formatters.</summary>
internal static class Tables
{
    public static string Html(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, string? caption, string cssClass)
    {
        var sb = new StringBuilder();
        sb.Append($"<div class=\"{cssClass}\"><table>");
        sb.Append("<thead><tr>");
        foreach (var h in header) sb.Append("<th>").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var r in rows)
        {
            sb.Append("<tr>");
            foreach (var c in r) sb.Append("<td>").Append(WebUtility.HtmlEncode(c)).Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
        if (caption is not null) sb.Append("<p>").Append(WebUtility.HtmlEncode(caption)).Append("</p>");
        sb.Append("</div>");
        return sb.ToString();
    }

    public static string Text(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows, string? caption)
    {
        var widths = header.Select(h => h.Length).ToArray();
        foreach (var r in rows)
            for (var i = 0; i < widths.Length && i < r.Count; i++) widths[i] = Math.Max(widths[i], Clip(r[i]).Length);
        var sb = new StringBuilder();
        void Line(IReadOnlyList<string> cells)
        {
            for (var i = 0; i < widths.Length; i++)
            {
                if (i > 0) sb.Append("  ");
                var c = i < cells.Count ? Clip(cells[i]) : "";
                sb.Append(i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]));
            }
            sb.Append('\n');
        }
        Line(header);
        foreach (var r in rows) Line(r);
        if (caption is not null) sb.Append(caption).Append('\n');
        return sb.ToString().TrimEnd('\n');
    }

    static string Clip(string s)
    {
        s = s.Replace("\r", "").Replace('\n', ' ');
        return s.Length > 40 ? s[..39] + "…" : s;
    }

    public static string Cell(object? v) => v switch
    {
        null => "",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Formatter.SafeToString(v),
    };

    /// <summary>A C#-like type name: List&lt;Int32&gt; instead of List`1.</summary>
    public static string TypeName(Type t)
    {
        if (t.IsArray) return TypeName(t.GetElementType()!) + "[]";
        if (!t.IsGenericType) return t.Name;
        var name = t.Name;
        var tick = name.IndexOf('`');
        if (tick >= 0) name = name[..tick];
        return $"{name}<{string.Join(", ", t.GetGenericArguments().Select(TypeName))}>";
    }

    /// <summary>What a table leaves out ("30 rows (first 25 shown)"), or null when it shows everything: a table that
    /// is complete needs no line under it.</summary>
    public static string? Truncation(long shown, long? total, string unit) =>
        total is { } t
            ? (shown < t ? $"{t} {unit} (first {shown} shown)" : null)
            : $"more than {shown} {unit} (first {shown} shown)";
}

/// <summary>Microsoft.Data.Analysis DataFrame: the first rows as an HTML table (and as text), with a line saying how many
/// rows and columns there are when rows are left out.</summary>
internal static class DataFrameFormatter
{
    public static string Html(DataFrame df, FormatContext ctx)
    {
        var (header, rows, caption) = Rows(df, ctx);
        return Tables.Html(header, rows, caption, "repro-dataframe");
    }

    public static string PlainText(DataFrame df, FormatContext ctx)
    {
        var (header, rows, caption) = Rows(df, ctx);
        return Tables.Text(header, rows, caption);
    }

    static (List<string>, List<IReadOnlyList<string>>, string?) Rows(DataFrame df, FormatContext ctx)
    {
        var cols = df.Columns.ToList();
        var total = df.Rows.Count;
        var shown = Math.Min(total, ctx.MaxRows);
        var header = new List<string> { "" };
        header.AddRange(cols.Select(c => c.Name));
        var rows = new List<IReadOnlyList<string>>();
        for (long r = 0; r < shown; r++)
        {
            var row = new List<string> { r.ToString(CultureInfo.InvariantCulture) };
            row.AddRange(cols.Select(c => Tables.Cell(c[r])));
            rows.Add(row);
        }
        var caption = Tables.Truncation(shown, total, "rows") is { } cut ? $"{cut} × {cols.Count} {(cols.Count == 1 ? "column" : "columns")}" : null;
        return (header, rows, caption);
    }
}

/// <summary>
/// Any IEnumerable (but strings, which are text): items that are simple values (numbers, strings, dates, enums...)
/// become a one-column table; other items a table of their public properties and fields (records, anonymous types,
/// tuples, key-value pairs). Only the first <see cref="FormatContext.MaxRows"/> items are enumerated.
/// </summary>
internal static class EnumerableFormatter
{
    public static string? Html(IEnumerable seq, FormatContext ctx)
    {
        if (seq is string) return null;
        var (header, rows, caption) = Rows(seq, ctx);
        return Tables.Html(header, rows, caption, "repro-sequence");
    }

    public static string? PlainText(IEnumerable seq, FormatContext ctx)
    {
        if (seq is string) return null;
        var (items, total) = Take(seq, ctx.MaxRows);
        var body = string.Join(", ", items.Select(Formatter.SafeToString));
        var more = total is { } t && t <= items.Count ? "" : ", …";
        var count = total is { } n ? $"{Tables.TypeName(seq.GetType())} with {n} {(n == 1 ? "item" : "items")}" : Tables.TypeName(seq.GetType());
        return $"{count}: [{body}{more}]";
    }

    static (List<string>, List<IReadOnlyList<string>>, string?) Rows(IEnumerable seq, FormatContext ctx)
    {
        var (items, total) = Take(seq, ctx.MaxRows);
        var elementType = ElementType(seq.GetType(), items);
        var members = elementType is null || IsSimple(elementType) ? [] : Members(elementType);
        List<string> header;
        var rows = new List<IReadOnlyList<string>>();
        if (members.Count == 0)
        {
            header = ["", "value"];
            for (var i = 0; i < items.Count; i++) rows.Add([i.ToString(CultureInfo.InvariantCulture), Tables.Cell(items[i])]);
        }
        else
        {
            header = members.Select(m => m.Name).ToList();
            foreach (var item in items)
                rows.Add(members.Select(m => item is null ? "" : Tables.Cell(Read(m, item))).ToList());
        }
        return (header, rows, Tables.Truncation(items.Count, total, "items"));
    }

    static (List<object?> Items, long? Total) Take(IEnumerable seq, int max)
    {
        var items = new List<object?>();
        long? total = seq is ICollection c ? c.Count : null;
        var e = seq.GetEnumerator();
        try
        {
            while (items.Count < max && e.MoveNext()) items.Add(e.Current);
            if (total is null && (items.Count < max || !e.MoveNext())) total = items.Count;
        }
        finally { (e as IDisposable)?.Dispose(); }
        return (items, total);
    }

    static Type? ElementType(Type seqType, List<object?> items)
    {
        var declared = seqType.GetInterfaces().Append(seqType)
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            .Select(i => i.GetGenericArguments()[0]).FirstOrDefault();
        if (declared is not null && declared != typeof(object)) return declared;
        var types = items.Where(i => i is not null).Select(i => i!.GetType()).Distinct().ToList();
        return types.Count == 1 ? types[0] : types.Count == 0 ? null : typeof(object);
    }

    static bool IsSimple(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(DateTime) ||
               t == typeof(DateTimeOffset) || t == typeof(TimeSpan) || t == typeof(Guid) || t == typeof(object) ||
               t == typeof(DateOnly) || t == typeof(TimeOnly);
    }

    static List<MemberInfo> Members(Type t)
    {
        var props = t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.GetMethod!.IsPublic && p.Name != "EqualityContract")
            .Cast<MemberInfo>();
        var fields = t.GetFields(BindingFlags.Public | BindingFlags.Instance).Cast<MemberInfo>();
        return props.Concat(fields).ToList();
    }

    static object? Read(MemberInfo m, object item)
    {
        try
        {
            return m switch
            {
                PropertyInfo p => p.GetValue(item),
                FieldInfo f => f.GetValue(item),
                _ => null,
            };
        }
        catch (Exception e) { return $"({(e.InnerException ?? e).GetType().Name})"; }
    }
}
