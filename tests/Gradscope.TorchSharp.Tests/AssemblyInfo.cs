// TorchSharp keeps process-wide state (default dtype, RNG, threads): tests that set it must not overlap.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
