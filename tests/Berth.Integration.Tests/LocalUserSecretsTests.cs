using System.Diagnostics;
using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;

namespace Berth.Integration.Tests;

/// <summary>
/// Issue 10, acceptance 2 (files): another local user of the host (<c>nobody</c>) reads neither the database,
/// nor a secret, nor any folder's data — even when the admin made the data directory world-readable and an old
/// secret file 0644 before starting the server.
/// </summary>
[Collection(BerthCollection.Name)]
public class LocalUserSecretsTests
{
    [Fact]
    public async Task Nobody_reads_the_database_the_secrets_or_folder_data()
    {
        var data = Directory.CreateTempSubdirectory("berth-modes-").FullName;
        File.SetUnixFileMode(data, (UnixFileMode)0b111_101_101);
        var secret = Path.Combine(data, "storage-secret");
        await File.WriteAllTextAsync(secret, Convert.ToHexString(Guid.NewGuid().ToByteArray()) + Convert.ToHexString(Guid.NewGuid().ToByteArray()));
        File.SetUnixFileMode(secret, (UnixFileMode)0b110_100_100);

        await using var database = await TestDatabase.CreateAsync();
        await using (var server = await ServerProcess.StartAsync(data, database.Settings))
        {
            var admin = await CliRunner.LoginAsync(server.Endpoint, ServerProcess.AdminEmail, ServerProcess.AdminPassword);
            var folder = BerthFixture.UniqueName("private");
            Succeeded(await admin.RunAsync("vfolder", "create", folder));
            var work = Directory.CreateTempSubdirectory().FullName;
            var file = Path.Combine(work, "results.csv");
            await File.WriteAllTextAsync(file, "secret results");
            Succeeded(await admin.RunAsync("vfolder", "upload", folder, file));
            var stored = Directory.EnumerateFiles(Path.Combine(data, "volumes", "local"), "results.csv", SearchOption.AllDirectories).Single();

            Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(data));
            Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(secret));
            Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(Path.Combine(data, "agent-token")));
            var secrets = new List<string> { secret, Path.Combine(data, "agent-token"), stored };
            var db = Path.Combine(data, "berth.db");
            if (File.Exists(db))
            {
                Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(db) & (UnixFileMode)0x1FF);
                secrets.Add(db);
            }

            foreach (var path in secrets)
            {
                // As root the same read succeeds, so a refusal below is the file modes' doing.
                Assert.Equal(0, (await RunAsync("cat", path)).ExitCode);
                var asNobody = await RunAsync("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "cat", path);
                Assert.NotEqual(0, asNobody.ExitCode);
                Assert.Contains("Permission denied", asNobody.Stderr);
            }
            var listing = await RunAsync("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "ls", Path.Combine(data, "volumes"));
            Assert.NotEqual(0, listing.ExitCode);
            BerthFixture.TryDelete(work);
        }
        BerthFixture.TryDelete(data);
    }

    private static async Task<(int ExitCode, string Stderr)> RunAsync(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stderr);
    }
}
