using Repro.Training;

namespace Repro.Experiments.Executors;

public enum RunState { Finished, Running, Failed, Pending }

/// <summary>
/// Where one run of a shared results store stands: finished (run.json), running (a live claim), failed (a failure
/// record, or a claim whose process died without one) or pending; <paramref name="Log"/> is the output of the process
/// that ran or runs it, when known.
/// </summary>
public sealed record RunStatus(RunSpec Spec, RunState State, string Detail, string? Log)
{
    public static RunStatus Of(ResultsStore store, RunSpec spec)
    {
        var dir = store.RunDirectory(spec);
        if (File.Exists(Path.Combine(dir, "run.json"))) return new(spec, RunState.Finished, "", null);
        var claim = FileLease.Inspect(RunClaim.Folder(store, spec));
        if (claim is { Alive: true, Holder: { } holder }) return new(spec, RunState.Running, $"on {holder}", holder.Log);
        if (RunClaim.LastFailure(store, spec) is { } failure) return new(spec, RunState.Failed, failure.Reason, failure.Log);
        if (claim is { Alive: false })
            return new(spec, RunState.Failed,
                $"its process ({claim.Holder?.ToString() ?? "unknown"}) stopped without finishing or saying why (killed?); last heartbeat {claim.Heartbeat:yyyy-MM-dd HH:mm:ss}Z; --resume continues it",
                claim.Holder?.Log);
        var partial = new Checkpoints(store.CheckpointDirectory(spec)).Latest();
        return new(spec, RunState.Pending, partial is null ? "" : $"interrupted after epoch {partial.Epoch + 1}; --resume continues it", null);
    }
}
