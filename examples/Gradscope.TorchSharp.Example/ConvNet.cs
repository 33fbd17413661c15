using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Gradscope.TorchSharp.Example;

/// <summary>
/// A small convolutional net written as a custom module (not a Sequential): four 3×3 convolutions of 8 channels, each
/// followed by its activation module, two 2×2 poolings, and a linear classifier. The monitor sees each convolution
/// with the activation registered after it.
/// </summary>
internal sealed class ConvNet : Module<Tensor, Tensor>
{
    // Registration order is field order: each convolution, then its activation.
    private readonly Conv2d conv1 = Conv2d(1, 8, 3, padding: 1);
    private readonly Module<Tensor, Tensor> act1;
    private readonly Conv2d conv2 = Conv2d(8, 8, 3, padding: 1);
    private readonly Module<Tensor, Tensor> act2;
    private readonly Conv2d conv3 = Conv2d(8, 8, 3, padding: 1);
    private readonly Module<Tensor, Tensor> act3;
    private readonly Conv2d conv4 = Conv2d(8, 8, 3, padding: 1);
    private readonly Module<Tensor, Tensor> act4;
    private readonly Linear classifier = Linear(8 * 7 * 7, 10);

    public ConvNet(string name, bool relu) : base(name)
    {
        Module<Tensor, Tensor> Activation() => relu ? ReLU() : Sigmoid();
        (act1, act2, act3, act4) = (Activation(), Activation(), Activation(), Activation());
        if (relu)
            foreach (var conv in new[] { conv1, conv2, conv3, conv4 })
                init.kaiming_normal_(conv.weight!, nonlinearity: init.NonlinearityType.ReLU);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // Modules are invoked with call(), which runs their forward hooks; forward() would bypass them.
        var a = act1.call(conv1.call(x));
        a = functional.max_pool2d(act2.call(conv2.call(a)), 2);
        a = act3.call(conv3.call(a));
        a = functional.max_pool2d(act4.call(conv4.call(a)), 2);
        return classifier.call(a.flatten(1));
    }
}
