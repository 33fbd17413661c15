using Gradscope.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Gradscope.TorchSharp.Example;

/// <summary>A data set as two tensors (inputs, labels), cut into mini-batches.</summary>
internal sealed class Batches : IDisposable
{
    private readonly Tensor _x, _y;

    private Batches(Tensor x, Tensor y)
    {
        _x = x;
        _y = y;
    }

    public long Count => _y.shape[0];

    public static Batches From(Dataset<float> data, bool images)
    {
        long[] shape = images ? [data.Count, 1, 28, 28] : [data.Count, data.InputSize];
        var labels = new long[data.Count];
        for (int i = 0; i < data.Count; i++) labels[i] = data.Label(i);
        return new Batches(tensor(data.Inputs.ToArray(), shape).DetachFromDisposeScope(), tensor(labels).DetachFromDisposeScope());
    }

    /// <summary>Mini-batches in an order drawn from <paramref name="seed"/>; the last may be smaller.</summary>
    public IEnumerable<(Tensor X, Tensor Y)> Shuffled(int batchSize, ulong seed)
    {
        using var generator = new Generator(0).manual_seed((long)seed);
        using var order = randperm(Count, generator: generator);
        for (long start = 0; start < Count; start += batchSize)
        {
            using var index = order.narrow(0, start, Math.Min(batchSize, Count - start));
            yield return (_x.index_select(0, index), _y.index_select(0, index));
        }
    }

    /// <summary>Mean cost and accuracy of <paramref name="model"/> over the whole set (evaluation mode, no gradient).</summary>
    public (double Cost, double Accuracy) Evaluate(nn.Module<Tensor, Tensor> model)
    {
        using var _ = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        var output = model.call(_x);
        double cost = nn.functional.cross_entropy(output, _y).item<float>();
        double accuracy = output.argmax(1).eq(_y).to_type(ScalarType.Float64).mean().item<double>();
        model.train();
        return (cost, accuracy);
    }

    public void Dispose()
    {
        _x.Dispose();
        _y.Dispose();
    }
}
