namespace Repro.Data;

/// <summary>A loader whose lists name files: what its list named and what of it was present (<see cref="ListCoverage"/>).</summary>
public interface IListsFiles
{
    ListCoverage Coverage { get; }
}
