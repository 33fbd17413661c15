using System.Security.Cryptography;
using Gradscope.Data;

namespace Gradscope.Tests.Data;

public sealed class MnistCacheTests
{
    // Port 9 (discard) on loopback: nothing listens there, so the connection is refused at once, online or not.
    private static readonly Uri[] Unreachable = [new("http://127.0.0.1:9/mnist/")];

    private static Dictionary<string, string> HashesOf(string directory) =>
        Directory.GetFiles(directory).ToDictionary(p => Path.GetFileName(p), p => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(p))));

    [Fact]
    public void Load_VerifiedFilesInCache_LoadsWithoutNetwork()
    {
        using var dir = new TempDirectory();
        IdxTestFiles.WriteMnistFolder(dir.Path, trainCount: 8, testCount: 4, compress: true);
        var cache = new MnistCache(dir.Path, Unreachable, HashesOf(dir.Path));

        var split = cache.Load();

        Assert.Equal(8, split.Train.Count);
        Assert.Equal(4, split.Test.Count);
        Assert.Equal("mnist-train", split.Train.Name);
    }

    [Fact]
    public void Load_UnpackedFilesInCache_AreVerifiedByTheirOwnHashes()
    {
        using var dir = new TempDirectory();
        IdxTestFiles.WriteMnistFolder(dir.Path, trainCount: 8, testCount: 4, compress: false);
        var cache = new MnistCache(dir.Path, Unreachable, HashesOf(dir.Path));

        Assert.Equal(8, cache.Load().Train.Count);
    }

    [Fact]
    public void Load_EmptyCacheAndUnreachableMirror_ThrowsOneLineSayingWhereAndWhatToDo()
    {
        using var dir = new TempDirectory();
        var cache = new MnistCache(dir.Path, Unreachable, connectTimeout: TimeSpan.FromSeconds(2));

        var e = Assert.Throws<DataUnavailableException>(() => cache.Load());

        Assert.Contains(dir.Path, e.Message);
        Assert.Contains("http://127.0.0.1:9/mnist/", e.Message);
        Assert.Contains("train-images-idx3-ubyte", e.Message);
        Assert.Contains("--data <dir>", e.Message);
        Assert.Contains("--data digits", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Load_CachedFileWithWrongHashAndUnreachableMirror_ThrowsNamingOnlyThatFile()
    {
        using var dir = new TempDirectory();
        IdxTestFiles.WriteMnistFolder(dir.Path, compress: true);
        var hashes = HashesOf(dir.Path);
        hashes["t10k-labels-idx1-ubyte.gz"] = new string('0', 64);
        var cache = new MnistCache(dir.Path, Unreachable, hashes, TimeSpan.FromSeconds(2));

        var e = Assert.Throws<DataUnavailableException>(() => cache.Load());

        Assert.Contains("t10k-labels-idx1-ubyte", e.Message);
        Assert.DoesNotContain("train-images-idx3-ubyte", e.Message);
    }

    [Fact]
    public void Load_EmptyCacheAndReachableMirror_DownloadsVerifiesAndLoads()
    {
        using var served = new TempDirectory();
        using var cacheDir = new TempDirectory();
        IdxTestFiles.WriteMnistFolder(served.Path, trainCount: 9, testCount: 3, compress: true);
        using var mirror = new LocalMirror(served.Path);
        // The unreachable mirror comes first: a dead mirror must not stop the next one from being used.
        var cache = new MnistCache(cacheDir.Path, [Unreachable[0], mirror.Url], HashesOf(served.Path));

        var split = cache.Load();

        Assert.Equal(9, split.Train.Count);
        Assert.Equal(3, split.Test.Count);
        Assert.Equal(HashesOf(served.Path), HashesOf(cacheDir.Path));
        Assert.Equal(4, mirror.Requests);
        cache.Load();
        Assert.Equal(4, mirror.Requests);
    }

    [Fact]
    public void Load_MirrorServesFileWithWrongHash_RejectsItAndLeavesNoFile()
    {
        using var served = new TempDirectory();
        using var cacheDir = new TempDirectory();
        IdxTestFiles.WriteMnistFolder(served.Path, compress: true);
        using var mirror = new LocalMirror(served.Path);
        var hashes = HashesOf(served.Path);
        hashes["train-labels-idx1-ubyte.gz"] = new string('0', 64);
        var cache = new MnistCache(cacheDir.Path, [mirror.Url], hashes);

        var e = Assert.Throws<DataUnavailableException>(() => cache.Load());

        Assert.Contains("train-labels-idx1-ubyte.gz has the wrong SHA-256", e.Message);
        Assert.False(File.Exists(cacheDir.File("train-labels-idx1-ubyte.gz")));
        Assert.True(File.Exists(cacheDir.File("train-images-idx3-ubyte.gz")));
        Assert.DoesNotContain(Directory.GetFiles(cacheDir.Path), f => f.EndsWith(".part", StringComparison.Ordinal));
    }

    [Fact]
    public void OfficialSha256_CoversTheFourGzFilesAndTheirUnpackedContents()
    {
        foreach (string name in MnistFiles.CanonicalNames)
        {
            Assert.Matches("^[0-9a-f]{64}$", MnistCache.OfficialSha256[name + ".gz"]);
            Assert.Matches("^[0-9a-f]{64}$", MnistCache.OfficialSha256[name]);
        }
    }

    [Fact]
    public void Constructor_NoDirectory_UsesDefaultDirectory()
    {
        var cache = new MnistCache(mirrors: Unreachable);

        Assert.Equal(MnistCache.DefaultDirectory(), cache.Directory);
        string? overridden = Environment.GetEnvironmentVariable(MnistCache.EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(overridden))
            Assert.EndsWith(Path.Combine("gradscope", "mnist"), cache.Directory);
        else
            Assert.Equal(overridden, cache.Directory);
    }
}
