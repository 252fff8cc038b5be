using Repro.Data;

namespace Repro.Tests.Data;

public class BadInputsTests
{
    [Fact]
    public void OneProblemIsThrownAsItWasRaised()
    {
        var bad = new BadInputs();
        bad.Add(new FileNotFoundException("a.wav not found"));
        var e = Assert.Throws<FileNotFoundException>(() => bad.ThrowIfAny("check"));
        Assert.Equal("a.wav not found", e.Message);
        new BadInputs().ThrowIfAny("nothing found");   // no problem, no throw
    }

    [Fact]
    public void ManyProblemsAreListedUpToTheLimitAndTheRestCounted()
    {
        var bad = new BadInputs();
        for (int i = 0; i < BadInputs.Listed + 5; i++) bad.Add($"file{i:D2}.wav: truncated");
        var e = Assert.Throws<BadInputsException>(() => bad.ThrowIfAny("CREMA-D train audio"));
        Assert.StartsWith($"CREMA-D train audio: {BadInputs.Listed + 5} bad inputs", e.Message);
        Assert.Contains("file00.wav", e.Message);
        Assert.Contains($"file{BadInputs.Listed - 1:D2}.wav", e.Message);
        Assert.DoesNotContain($"file{BadInputs.Listed:D2}.wav", e.Message);
        Assert.EndsWith("and 5 more", e.Message);
        Assert.Equal(BadInputs.Listed + 5, e.Problems.Count);
    }

    [Fact]
    public void AParallelLoopGoesOnAfterABadInputAndReportsEveryOneInOrder()
    {
        int ran = 0;
        var e = Assert.Throws<BadInputsException>(() => BadInputs.ForEach(50, i =>
        {
            Interlocked.Increment(ref ran);
            if (i % 10 == 3) throw new InvalidDataException($"item {i} damaged");
        }, "items"));
        Assert.Equal(50, ran);
        Assert.Equal(["item 3 damaged", "item 13 damaged", "item 23 damaged", "item 33 damaged", "item 43 damaged"], e.Problems.Select(p => p.Message));
    }

    [Fact]
    public void ABugIsNotTakenForBadInput()
    {
        // a programming error stops the loop as it is (wrapped by Parallel.For), not listed as a damaged file
        Assert.Throws<AggregateException>(() => BadInputs.ForEach(4, i => { if (i == 2) throw new NullReferenceException(); }, "items"));
    }

    [Fact]
    public void StepsAreAllRunAndTheirListsJoined()
    {
        var e = Assert.Throws<BadInputsException>(() => BadInputs.All("both splits", new Action[]
        {
            () => throw new BadInputsException("train", [new IOException("t1"), new IOException("t2")]),
            () => throw new FileNotFoundException("s1"),
        }));
        Assert.Equal(["t1", "t2", "s1"], e.Problems.Select(p => p.Message));
        Assert.StartsWith("both splits: 3 bad inputs", e.Message);
    }
}
