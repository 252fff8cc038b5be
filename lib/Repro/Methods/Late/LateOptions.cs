namespace Repro.Methods.Late;

/// <summary>Late fusion has no options.</summary>
public sealed record LateOptions : MethodOptions;
