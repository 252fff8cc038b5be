using System.CommandLine;
using Repro.Cli.Commands;
using Repro.Native;

TorchRuntime.EnsureReady();
var root = new RootCommand("Repro: reproduce balanced multimodal learning papers (MLA, DGL, U2A and their baselines) with TorchSharp.");
foreach (var command in new[]
         {
             ReproduceCommand.Create(), TrainCommand.Create(), SynthCommand.Create(), ParityCommand.Create(),
             MethodsCommand.Create(), EnvCommand.Create(),
         })
    root.Subcommands.Add(command);
return root.Parse(args).Invoke();
