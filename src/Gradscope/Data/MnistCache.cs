using System.Security.Cryptography;

namespace Gradscope.Data;

/// <summary>
/// MNIST on local disk, downloading it once when it is missing.
/// <para>
/// The cache folder is, in order of precedence: the constructor's <c>directory</c>; the environment variable
/// <c>GRADSCOPE_DATA</c> (the folder that holds the four MNIST files); <c>$XDG_CACHE_HOME/gradscope/mnist</c>;
/// <c>~/.cache/gradscope/mnist</c>.
/// </para>
/// <para>
/// A file in the cache is trusted only when its SHA-256 matches the published hash of the original
/// <c>.gz</c> file or of its unpacked contents; anything else is fetched again from the mirrors, to a temporary
/// file that is checked and then renamed into place. Offline, <see cref="Load"/> throws
/// <see cref="DataUnavailableException"/> saying where it looked and what to do.
/// </para>
/// </summary>
public sealed class MnistCache
{
    /// <summary>Environment variable that overrides the cache folder.</summary>
    public const string EnvironmentVariable = "GRADSCOPE_DATA";

    /// <summary>Public mirrors of the original files (yann.lecun.com itself now refuses most downloads).</summary>
    public static IReadOnlyList<Uri> DefaultMirrors { get; } =
    [
        new("https://storage.googleapis.com/cvdf-datasets/mnist/"),
        new("https://ossci-datasets.s3.amazonaws.com/mnist/"),
    ];

    /// <summary>
    /// SHA-256 of the original files, keyed by file name: the four <c>.gz</c> files as served by every mirror
    /// and the four unpacked files, so a user may drop either into the cache.
    /// </summary>
    public static IReadOnlyDictionary<string, string> OfficialSha256 { get; } = new Dictionary<string, string>
    {
        ["train-images-idx3-ubyte.gz"] = "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        ["train-labels-idx1-ubyte.gz"] = "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        ["t10k-images-idx3-ubyte.gz"] = "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        ["t10k-labels-idx1-ubyte.gz"] = "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        ["train-images-idx3-ubyte"] = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        ["train-labels-idx1-ubyte"] = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        ["t10k-images-idx3-ubyte"] = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        ["t10k-labels-idx1-ubyte"] = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    };

    private readonly IReadOnlyList<Uri> _mirrors;
    private readonly IReadOnlyDictionary<string, string>? _sha256;
    private readonly TimeSpan _connectTimeout;
    private readonly TimeSpan _downloadTimeout;

    /// <param name="directory">Cache folder; null for <see cref="DefaultDirectory"/>.</param>
    /// <param name="mirrors">Base URLs to try in order; null for <see cref="DefaultMirrors"/>.</param>
    /// <param name="sha256">
    /// Expected hashes by file name (canonical spelling, with <c>.gz</c> for compressed files); null for
    /// <see cref="OfficialSha256"/>. A file whose name has no entry is accepted on IDX validation alone.
    /// </param>
    /// <param name="connectTimeout">How long to wait for a mirror to answer at all; short, so offline fails fast.</param>
    public MnistCache(string? directory = null, IReadOnlyList<Uri>? mirrors = null,
        IReadOnlyDictionary<string, string>? sha256 = null, TimeSpan? connectTimeout = null)
    {
        Directory = directory ?? DefaultDirectory();
        _mirrors = mirrors ?? DefaultMirrors;
        _sha256 = sha256 ?? OfficialSha256;
        _connectTimeout = connectTimeout ?? TimeSpan.FromSeconds(10);
        if (_connectTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(connectTimeout), _connectTimeout, $"Connect timeout must be positive, got {_connectTimeout}.");
        // The largest file is 9.9 MB; two minutes allows a slow link without hanging a CI job forever.
        _downloadTimeout = TimeSpan.FromMinutes(2);
    }

    /// <summary>The folder the four files are read from and downloaded to.</summary>
    public string Directory { get; }

    /// <summary><c>$GRADSCOPE_DATA</c>, else <c>$XDG_CACHE_HOME/gradscope/mnist</c>, else <c>~/.cache/gradscope/mnist</c>.</summary>
    public static string DefaultDirectory()
    {
        string? overridden = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(overridden)) return overridden;
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string root = !string.IsNullOrWhiteSpace(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "gradscope", "mnist");
    }

    /// <summary>Makes sure the four files are present and verified (downloading what is not), then loads them (<paramref name="exact"/>: as <see cref="MnistFiles.LoadFolder"/>).</summary>
    public DataSplit Load(CancellationToken cancellationToken = default, bool exact = false)
    {
        EnsureFilesAsync(cancellationToken).GetAwaiter().GetResult();
        return MnistFiles.LoadFolder(Directory, classes: 10, name: "mnist", exact: exact);
    }

    /// <summary>Downloads whichever of the four files are missing or fail their hash; throws when any cannot be had.</summary>
    public async Task EnsureFilesAsync(CancellationToken cancellationToken = default)
    {
        var missing = new List<string>();
        foreach (string canonical in MnistFiles.CanonicalNames)
        {
            if (!HasVerified(canonical)) missing.Add(canonical);
        }
        if (missing.Count == 0) return;

        // Per mirror, the last error seen; a mirror that cannot be reached at all is not asked for the other files.
        var mirrorErrors = new Dictionary<Uri, string>();
        var unfetched = new List<string>();
        using var client = CreateClient();
        foreach (string canonical in missing)
        {
            if (!await DownloadAsync(client, canonical, mirrorErrors, cancellationToken).ConfigureAwait(false))
                unfetched.Add(canonical + ".gz");
        }
        if (unfetched.Count > 0)
        {
            string tried = string.Join("; ", _mirrors.Select(m => mirrorErrors.TryGetValue(m, out string? e) ? $"{m} ({e})" : m.ToString()));
            throw new DataUnavailableException(
                $"MNIST is not available: {string.Join(", ", unfetched)} missing from {Directory} (or failing the SHA-256 check) " +
                $"and not downloadable from {tried}. " +
                $"Download the four .gz files into {Directory} (or set {EnvironmentVariable} to a folder holding them), " +
                "pass --data <dir> with a folder of IDX files, or use --data digits for the built-in generated digits.");
        }
    }

    /// <summary>Whether the spelling <see cref="MnistFiles.LoadFolder"/> would read exists and passes its hash.</summary>
    private bool HasVerified(string canonical)
    {
        string? path = MnistFiles.Find(Directory, canonical);
        if (path is null) return false;
        string key = path.EndsWith(".gz", StringComparison.Ordinal) ? canonical + ".gz" : canonical;
        // A file with no published hash (a renamed or re-packed copy) is accepted on IDX validation at load time.
        return _sha256 is null || !_sha256.TryGetValue(key, out string? expected)
            || string.Equals(Sha256Of(path), expected, StringComparison.OrdinalIgnoreCase);
    }

    private HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = _connectTimeout };
        return new HttpClient(handler) { Timeout = _downloadTimeout };
    }

    /// <returns>Whether some mirror delivered a verified file; failures are noted per mirror in <paramref name="mirrorErrors"/>.</returns>
    private async Task<bool> DownloadAsync(HttpClient client, string canonical, Dictionary<Uri, string> mirrorErrors,
        CancellationToken cancellationToken)
    {
        string fileName = canonical + ".gz";
        string target = Path.Combine(Directory, fileName);
        foreach (Uri mirror in _mirrors)
        {
            if (mirrorErrors.TryGetValue(mirror, out string? previous) && previous.StartsWith(Unreachable, StringComparison.Ordinal)) continue;
            var url = new Uri(mirror, fileName);
            string temp = $"{target}.{Environment.ProcessId}.part";
            try
            {
                using (var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false))
                {
                    response.EnsureSuccessStatusCode();
                    // Created only now, so an offline attempt leaves no empty cache folder behind.
                    System.IO.Directory.CreateDirectory(Directory);
                    await using var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                    await response.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                }
                if (_sha256 is not null && _sha256.TryGetValue(fileName, out string? expected) &&
                    !string.Equals(Sha256Of(temp), expected, StringComparison.OrdinalIgnoreCase))
                {
                    mirrorErrors[mirror] = $"{fileName} has the wrong SHA-256";
                    continue;
                }
                // Validate before the rename so a bad download never lands under the real name.
                IdxFile.Read(temp, canonical.Contains("images", StringComparison.Ordinal) ? IdxFile.ImagesMagic : IdxFile.LabelsMagic);
                File.Move(temp, target, overwrite: true);
                // Other spellings left in the cache failed verification, and plain ones would shadow the new .gz.
                foreach (string spelling in MnistFiles.Spellings(canonical))
                {
                    string stale = Path.Combine(Directory, spelling);
                    if (stale != target && File.Exists(stale)) File.Delete(stale);
                }
                return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or DataFormatException
                                      && !cancellationToken.IsCancellationRequested)
            {
                mirrorErrors[mirror] = Describe(e, fileName);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }
        return false;
    }

    private const string Unreachable = "unreachable: ";

    private static string Describe(Exception e, string fileName) => e switch
    {
        TaskCanceledException => Unreachable + "timed out",
        HttpRequestException { StatusCode: { } status } => $"{fileName}: HTTP {(int)status} {status}",
        HttpRequestException http => Unreachable + OneLine(http.InnerException?.Message ?? http.Message),
        _ => $"{fileName}: {OneLine(e.Message)}",
    };

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").TrimEnd('.');

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
