namespace Repro.Methods;

/// <summary>
/// The options a method declares, as a record with one [<see cref="OptionAttribute"/>] property per option (e.g.
/// <see cref="Mla.MlaOptions"/>), like PEFT's per-tuner config classes. Every source of options (the CLI's
/// <c>--option key=value</c>, table columns, lessons, parity fixtures) is bound to it by <see cref="OptionSchema"/>:
/// unknown keys and bad values are refused, naming the closest valid ones. A record made in code
/// (<c>new MlaOptions { Hgm = HgmMode.Off }</c>) is the same thing, checked the same way when it is run.
/// </summary>
public abstract record MethodOptions;
