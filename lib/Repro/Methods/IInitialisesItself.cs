namespace Repro.Methods;

/// <summary>
/// A method whose model must not get the kit's default initialisation after construction (its encoders hold pretrained
/// weights and its adapters have an initialisation of their own, such as LoRA's B = 0).
/// </summary>
public interface IInitialisesItself;
