using Berth.Integration.Tests.Infrastructure;

namespace Berth.Web.Tests.Infrastructure;

/// <summary>
/// One real `berth server` (the integration tests' <see cref="BerthFixture"/>: own process, data directory,
/// database, Docker agent) and one headless Chromium for every browser test; each test signs in its own user
/// in a fresh browser context.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public BerthFixture Berth { get; } = new();
    public HeadlessChromium Chromium { get; private set; } = null!;

    public Uri Console => Berth.Server.Endpoint;

    public async Task InitializeAsync()
    {
        await Berth.InitializeAsync();
        Chromium = await HeadlessChromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null) await Chromium.DisposeAsync();
        await Berth.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "berth-console";
}
