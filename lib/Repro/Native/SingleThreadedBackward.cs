using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Native;

/// <summary>
/// Brackets part of a backward pass so that it runs on one intra-op thread. <see cref="Begin"/> marks the output of an
/// operation: its backward runs before the operation's own backward, and drops the calling thread to one thread.
/// <see cref="End"/> marks an input of the operation: its backward runs once the operation's backward has produced that
/// input's gradient, and gives the threads back. Both are identities. Nested or interleaved brackets count, so the
/// threads come back when the last open bracket closes; <see cref="Reset"/> closes brackets a partial backward pass
/// left open (a gradient asked for the operation's output but not for the marked input).
/// </summary>
public static class SingleThreadedBackward
{
    [ThreadStatic] static int _open;
    [ThreadStatic] static int _threads;

    /// <summary>Marks the output of the operation whose backward must run on one thread.</summary>
    public static Tensor Begin(Tensor output) => BeginMarker.apply(output);

    /// <summary>Marks the input whose gradient the operation's backward produces last.</summary>
    public static Tensor End(Tensor input) => EndMarker.apply(input);

    /// <summary>True while a bracket is open on the calling thread.</summary>
    public static bool Active => _open > 0;

    /// <summary>Gives back the threads of brackets left open on the calling thread.</summary>
    public static void Reset()
    {
        if (_open == 0) return;
        _open = 1;
        Close();
    }

    static void Open()
    {
        if (_open++ > 0) return;
        _threads = IntraOpThreads.Current;
        if (_threads > 1) IntraOpThreads.Set(1);
    }

    static void Close()
    {
        if (_open == 0 || --_open > 0) return;
        if (_threads > 1) IntraOpThreads.Set(_threads);
    }

    sealed class BeginMarker : autograd.SingleTensorFunction<BeginMarker>
    {
        public override string Name => "SingleThreadedBackwardBegin";
        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars) => ((Tensor)vars[0]).view_as((Tensor)vars[0]);

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
        {
            Open();
            return [grad_output];
        }
    }

    sealed class EndMarker : autograd.SingleTensorFunction<EndMarker>
    {
        public override string Name => "SingleThreadedBackwardEnd";
        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars) => ((Tensor)vars[0]).view_as((Tensor)vars[0]);

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
        {
            Close();
            return [grad_output];
        }
    }
}
