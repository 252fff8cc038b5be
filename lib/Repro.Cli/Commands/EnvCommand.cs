using System.CommandLine;
using Repro.Experiments;
using Repro.Native;

namespace Repro.Cli.Commands;

/// <summary>`repro env`: what the kit runs on (TorchSharp backend, threads, the libstdc++ fix, results folder).</summary>
static class EnvCommand
{
    public static Command Create()
    {
        var cmd = new Command("env", "Check the environment: TorchSharp, backend, native-library fix, folders");
        cmd.SetAction(p => CliErrors.Guard(p, () =>
        {
            Console.WriteLine(TorchRuntime.Describe());
            Console.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cores, {Environment.OSVersion}");
            Console.WriteLine($"results: {ResultsStore.DefaultRoot()}");
            return 0;
        }));
        return cmd;
    }
}
