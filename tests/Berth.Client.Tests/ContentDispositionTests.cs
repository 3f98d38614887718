namespace Berth.Client.Tests;

public sealed class ContentDispositionTests
{
    [Theory]
    [InlineData("attachment; filename=\"dir.tar\"", "dir.tar")]
    [InlineData("attachment; filename=dir.tar", "dir.tar")]
    [InlineData("attachment; filename=\"x.tar\"; filename*=UTF-8''na%C3%AFve%20dir.tar", "naïve dir.tar")]
    [InlineData("attachment; filename=\"../../etc/passwd\"", "passwd")]
    [InlineData("attachment; filename=\"..\\\\evil.tar\"", "evil.tar")]
    [InlineData("attachment; filename=\"..\"", null)]
    [InlineData("attachment", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Parses_a_safe_file_name(string? header, string? expected) =>
        Assert.Equal(expected, ContentDispositionFileName.Parse(header));

    [Theory]
    [InlineData("data/models/m.bin", "m.bin")]
    [InlineData("data/models/", "models")]
    [InlineData("/", "download")]
    [InlineData("", "download")]
    public void Remote_base_name(string path, string expected) => Assert.Equal(expected, BerthClient.RemoteBaseName(path));
}
