using System.CommandLine;
using Repro.Methods;

namespace Repro.Cli.Commands;

/// <summary>`repro methods`: the registry, with each method's summary.</summary>
static class MethodsCommand
{
    public static Command Create()
    {
        var cmd = new Command("methods", "List the registered methods and aliases");
        cmd.SetAction(_ => CliErrors.Guard(() =>
        {
            foreach (var e in MethodRegistry.Entries.OrderBy(e => e.Name)) Console.WriteLine($"{e.Name,-12} {e.Summary}");
            Console.WriteLine($"names and aliases: {string.Join(", ", MethodRegistry.Names)}");
            return 0;
        }));
        return cmd;
    }
}
