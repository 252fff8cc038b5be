using System.CommandLine;
using System.Text;
using Repro.Methods;

namespace Repro.Cli.Commands;

/// <summary>`repro methods`: the registry, one line per method; `repro methods NAME`: that method's options.</summary>
static class MethodsCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("name") { Description = "A method or alias: print its options", Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("methods", "List the registered methods and aliases, or one method's options") { name };
        cmd.SetAction(p => CliErrors.Guard(p, () =>
        {
            Console.Write(p.GetValue(name) is { } n ? Describe(n) : List());
            return 0;
        }));
        return cmd;
    }

    static string List()
    {
        var sb = new StringBuilder();
        foreach (var e in MethodRegistry.Entries.OrderBy(e => e.Name, StringComparer.Ordinal)) sb.AppendLine($"{e.Name,-14} {e.Summary}");
        sb.AppendLine($"names and aliases: {string.Join(", ", MethodRegistry.Names)}");
        sb.AppendLine("`repro methods NAME` lists a method's options.");
        return sb.ToString();
    }

    /// <summary>A method's summary, aliases and every option: key, values, default, meaning, source.</summary>
    public static string Describe(string name)
    {
        var e = MethodRegistry.Get(name);
        var sb = new StringBuilder($"{e.Name}: {e.Summary}\n");
        foreach (var a in MethodRegistry.AliasesOf(e.Name))
            sb.AppendLine($"  alias {a.Name}{(a.Options.Count == 0 ? "" : " = " + string.Join(" ", a.Options.Select(o => $"{o.Key}={o.Value}")))}");
        if (e.Version > 1) sb.AppendLine($"  version {e.Version} (runs of earlier versions are not reused)");
        var options = e.Schema.Options;
        sb.AppendLine(options.Count == 0 ? "No options." : "Options (--option key=value):");
        foreach (var o in options)
        {
            sb.AppendLine($"  {o.Name} = {o.TypeText}    default: {o.DefaultText}");
            sb.AppendLine($"      {o.Meaning}{(o.Source is null ? "" : $" [{o.Source}]")}");
            foreach (var c in (o.Choices ?? []).Where(c => c.Meaning.Length > 0))
                sb.AppendLine($"      {c.Name,-24} {c.Meaning}");
        }
        return sb.ToString();
    }
}
