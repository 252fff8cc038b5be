using System.Text;
using Repro.Notebooks;
using Repro.Reporting;

namespace Repro.Cli.Commands;

/// <summary>What `repro notebooks params` prints for one notebook: its parameter cell and one line per parameter.</summary>
static class ParameterTable
{
    public static string Format(string path, Notebook notebook, IReadOnlyDictionary<string, string> overrides)
    {
        var cell = ParameterCell.Find(notebook);
        var declared = ParameterCell.Declared(notebook);
        var sb = new StringBuilder($"{path}: ");
        sb.AppendLine(cell is { } n ? $"parameter cell {n}" : $"no parameter cell (tag the first code cell '{ParameterCell.Tag}')");
        if (declared.Count == 0) return sb.AppendLine("  reads no parameters").ToString();

        var rows = declared.Select(p =>
        {
            var value = overrides.TryGetValue(p.Name, out var o) ? $"{o} (--param)"
                : NotebookParameters.Override(p.Name) is { } env ? $"{env} ({NotebookParameters.VariableName(p.Name)})" : "-";
            var given = o ?? NotebookParameters.Override(p.Name);
            if (given is not null && p.Choices.Count > 0 && !p.Choices.Contains(given.Trim(), StringComparer.OrdinalIgnoreCase))
                value += " NOT A CHOICE";
            var where = cell is { } pc && !p.Cells.Contains(pc) ? $"read in cell {string.Join(", ", p.Cells)}" : "";
            return new[] { p.Name, p.Type, p.Default ?? "-", value, string.Join(", ", p.Choices), where };
        }).ToList();
        string[] header = ["name", "type", "default", "value", "choices", "note"];
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        foreach (var r in rows.Prepend(header))
            sb.Append("  ").AppendLine(string.Join("  ", r.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        return sb.ToString();
    }
}
