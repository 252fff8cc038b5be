namespace Repro.Methods.Joint;

/// <summary>Joint training's options: the fusion head. The head is part of every joint run's identity, so <c>joint</c> and <c>concat</c> name one run.</summary>
[AlwaysInIdentity("fusion")]
public sealed record JointOptions : FusionOptions;
