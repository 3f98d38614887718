using Berth.Storage.Options;

namespace Berth.Storage.Tests.Options;

public class StorageOptionsValidatorTests
{
    private static readonly string Dir = Path.Combine(Path.GetTempPath(), "berth-storage-tests", "options-" + Guid.NewGuid().ToString("N"));

    private static StorageOptions Valid() => new()
    {
        Volumes = { ["local"] = Dir },
        TokenSecret = new string('s', 32),
    };

    [Fact]
    public void Accepts_a_valid_configuration_and_creates_the_volume()
    {
        Assert.True(new StorageOptionsValidator().Validate(null, Valid()).Succeeded);
        Assert.True(Directory.Exists(Dir));
        Directory.Delete(Dir);
    }

    [Theory]
    [InlineData("-bad")]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Rejects_bad_host_names(string name)
    {
        var options = Valid();
        options.Volumes = new() { [name] = Dir };
        Assert.True(new StorageOptionsValidator().Validate(null, options).Failed);
    }

    [Fact]
    public void Rejects_relative_volumes_short_secrets_and_no_volumes()
    {
        var validator = new StorageOptionsValidator();
        var relative = Valid();
        relative.Volumes["local"] = "relative/dir";
        Assert.True(validator.Validate(null, relative).Failed);
        var shortSecret = Valid();
        shortSecret.TokenSecret = "short";
        Assert.True(validator.Validate(null, shortSecret).Failed);
        var none = Valid();
        none.Volumes.Clear();
        Assert.True(validator.Validate(null, none).Failed);
    }
}
