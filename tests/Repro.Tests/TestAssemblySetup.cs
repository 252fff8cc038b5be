using System.Runtime.CompilerServices;
using Repro.Native;

namespace Repro.Tests;

static class TestAssemblySetup
{
#pragma warning disable CA2255 // the native fix and the oneDNN setting must be in place before any test touches TorchSharp directly
    [ModuleInitializer]
    internal static void Init() => TorchRuntime.EnsureReady();
#pragma warning restore CA2255
}
