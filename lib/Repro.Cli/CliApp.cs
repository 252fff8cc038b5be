using System.CommandLine;
using Repro.Cli.Commands;

namespace Repro.Cli;

/// <summary>The `repro` command tree (Program.cs runs it; tests invoke it in-process).</summary>
public static class CliApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Repro: reproduce balanced multimodal learning papers (MLA, DGL, U2A and their baselines) with TorchSharp.");
        foreach (var command in new[]
                 {
                     ReproduceCommand.Create(), StatusCommand.Create(), TrainCommand.Create(), SynthCommand.Create(), DataCommand.Create(), ParityCommand.Create(),
                     MethodsCommand.Create(), EnvCommand.Create(), NotebooksCommand.Create(), ReportCommand.Create(), U2aCommand.Create(),
                 })
            root.Subcommands.Add(command);
        root.Options.Add(CliErrors.Verbose);
        return root;
    }

    public static int Run(string[] args)
    {
        var parse = Build().Parse(args);
        return CliErrors.Guard(parse, () =>
        {
            Native.TorchRuntime.EnsureReady();
            return parse.Invoke();
        });
    }
}
