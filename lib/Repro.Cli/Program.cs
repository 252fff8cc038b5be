using Repro.Native;
Console.WriteLine(TorchRuntime.Describe());
