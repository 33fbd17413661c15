namespace Gradscope.Data;

/// <summary>
/// The four-file layout shared by MNIST, Fashion-MNIST and EMNIST: train/t10k × images/labels, each plain or
/// gzip, under the original names (<c>train-images-idx3-ubyte</c>) or the dotted variants some mirrors use
/// (<c>train-images.idx3-ubyte</c>).
/// </summary>
public static class MnistFiles
{
    /// <summary>The canonical (original) names, in the order train images, train labels, test images, test labels.</summary>
    public static IReadOnlyList<string> CanonicalNames { get; } =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>
    /// Loads a folder holding the four files. Pixels become floats in [0, 1] (byte / 255). The class count is
    /// <paramref name="classes"/> when given (labels at or above it are rejected); otherwise max label + 1 but at
    /// least 10, which covers the EMNIST splits with 26, 47 or 62 classes. <paramref name="exact"/>: pixels as
    /// float64 byte / 255 for a float64 run (<see cref="DataSplit.FromExact"/>; its float32 sets, made on use, are the
    /// same float32 pixels as ever, since float32(b / 255.0) is b / 255f for every byte).
    /// </summary>
    public static DataSplit LoadFolder(string directory, int? classes = null, string name = "mnist", bool exact = false)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory)) throw new DataFormatException(directory, "folder does not exist.");
        string trainImagesPath = Require(directory, CanonicalNames[0]);
        string trainLabelsPath = Require(directory, CanonicalNames[1]);
        string testImagesPath = Require(directory, CanonicalNames[2]);
        string testLabelsPath = Require(directory, CanonicalNames[3]);

        var trainImages = IdxFile.ReadImages(trainImagesPath);
        var trainLabels = IdxFile.ReadLabels(trainLabelsPath, classes);
        var testImages = IdxFile.ReadImages(testImagesPath);
        var testLabels = IdxFile.ReadLabels(testLabelsPath, classes);
        CheckPair(trainImagesPath, trainImages, trainLabelsPath, trainLabels);
        CheckPair(testImagesPath, testImages, testLabelsPath, testLabels);
        if (trainImages.ItemSize != testImages.ItemSize)
            throw new DataFormatException(testImagesPath,
                $"images are {testImages.Dimensions[1]}×{testImages.Dimensions[2]} but the training images in {trainImagesPath} are {trainImages.Dimensions[1]}×{trainImages.Dimensions[2]}.");

        int classCount = classes ?? Math.Max(10, Math.Max(MaxOf(trainLabels.Data), MaxOf(testLabels.Data)) + 1);
        return exact
            ? DataSplit.FromExact(
                ToDataset<double>($"{name}-train", trainImages, trainLabels, classCount),
                ToDataset<double>($"{name}-test", testImages, testLabels, classCount))
            : new DataSplit(
                ToDataset<float>($"{name}-train", trainImages, trainLabels, classCount),
                ToDataset<float>($"{name}-test", testImages, testLabels, classCount));
    }

    /// <summary>The path of one of the four files under any accepted spelling, or null when none exists.</summary>
    public static string? Find(string directory, string canonicalName)
    {
        foreach (string candidate in Spellings(canonicalName))
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    /// <summary>
    /// Accepted file names for one canonical name: plain before gzip, because a user who unpacked the files
    /// wants the unpacked ones read (and they load faster).
    /// </summary>
    internal static IEnumerable<string> Spellings(string canonicalName)
    {
        // "train-images-idx3-ubyte" → "train-images.idx3-ubyte": the dot replaces the dash before "idx".
        int idx = canonicalName.LastIndexOf("-idx", StringComparison.Ordinal);
        string dotted = idx < 0 ? canonicalName : string.Concat(canonicalName.AsSpan(0, idx), ".", canonicalName.AsSpan(idx + 1));
        yield return canonicalName;
        yield return dotted;
        yield return canonicalName + ".gz";
        yield return dotted + ".gz";
    }

    private static string Require(string directory, string canonicalName) =>
        Find(directory, canonicalName)
        ?? throw new DataFormatException(directory, $"missing {canonicalName} (or {canonicalName}.gz); the folder needs all four of {string.Join(", ", CanonicalNames)}.");

    private static void CheckPair(string imagesPath, IdxFile images, string labelsPath, IdxFile labels)
    {
        if (images.Count != labels.Count)
            throw new DataFormatException(imagesPath, $"has {images.Count} images but {labelsPath} has {labels.Count} labels.");
    }

    private static int MaxOf(ReadOnlySpan<byte> values)
    {
        int max = 0;
        foreach (byte v in values) max = Math.Max(max, v);
        return max;
    }

    // Builds the dataset directly rather than through Dataset.Classification, which would copy 47 M floats again.
    private static Dataset<T> ToDataset<T>(string name, IdxFile images, IdxFile labels, int classes) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var pixels = images.Data;
        var inputs = new T[pixels.Length];
        // Divide rather than multiply by 1/255 so that every byte maps to the correctly rounded value of b / 255.
        var scale = T.CreateTruncating(255);
        for (int i = 0; i < inputs.Length; i++) inputs[i] = T.CreateTruncating(pixels[i]) / scale;
        int count = labels.Count;
        var targets = new T[count * classes];
        var ints = new int[count];
        for (int i = 0; i < count; i++)
        {
            ints[i] = labels.Data[i];
            targets[i * classes + ints[i]] = T.One;
        }
        return new Dataset<T>(name, images.ItemSize, classes, inputs, targets, ints);
    }
}
