using Berth.Client;

namespace Berth.Cli;

/// <summary>Per-invocation state: the config, the endpoint, and a client built from them.</summary>
internal sealed class CliContext : IDisposable
{
    private BerthClient? _client;

    private CliContext(CliConfigStore store, CliConfig config)
    {
        Store = store;
        Config = config;
        EndpointText = CliConfigStore.ResolveEndpoint(config);
    }

    public CliConfigStore Store { get; }
    public CliConfig Config { get; }
    public string EndpointText { get; }

    public static CliContext Load()
    {
        var store = CliConfigStore.FromEnvironment();
        return new CliContext(store, store.Load());
    }

    /// <summary>A client signing with the saved keypair; a clear error when there is none.</summary>
    public BerthClient Client
    {
        get
        {
            if (_client is not null) return _client;
            var keys = Config.Keys ?? throw new CliException(
                "not logged in: run `berth login --endpoint URL --email EMAIL` first");
            return _client = new BerthClient(CliConfigStore.ParseEndpoint(EndpointText), keys);
        }
    }

    public IUploadResumeStore ResumeStore => new FileUploadResumeStore(Store.UploadsPath);

    public void Dispose() => _client?.Dispose();
}
