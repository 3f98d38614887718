using System.Text.Json;
using Berth.Core.Agents;
using Berth.Core.Contracts;
using Berth.Manager.Http;

namespace Berth.Integration.Tests;

/// <summary>
/// The agent endpoints' body caps, measured on what an agent really sends: the JSON API's 1 MiB would refuse a
/// busy node's sync or report, so each has its own cap, sized from these weights (no server needed).
/// </summary>
public class RequestLimitTests
{
    private static long Weigh<T>(T body)
    {
        using var counter = new CountingStream();
        JsonSerializer.Serialize(counter, body, JsonSerializerOptions.Web);
        return counter.Length;
    }

    [Fact]
    public void A_heartbeat_from_a_node_with_many_images_fits_the_sync_cap_and_not_the_json_cap()
    {
        var images = Enumerable.Range(0, 20_000).Select(i => $"registry.example.com:5000/team-{i % 50}/project-image-{i}:v{i % 7}.0.1").ToList();
        var capacity = new Dictionary<string, decimal> { ["cpu"] = 256, ["mem"] = 2L << 40, ["cuda.device"] = 8 };
        var thousand = Weigh(new AgentHeartbeat("node-01", "default", "x64", "1.0.0", capacity, "http://127.0.0.1:6011/", images[..1000]));
        var many = Weigh(new AgentHeartbeat("node-01", "default", "x64", "1.0.0", capacity, "http://127.0.0.1:6011/", images));
        Assert.True(thousand < 100_000, $"1,000 image tags weigh {thousand} bytes");
        Assert.True(many < RequestLimits.AgentSyncBytes, $"20,000 image tags weigh {many} bytes");
        Assert.True(many > RequestLimits.JsonBodyBytes, "the JSON API's cap would have refused such a node's sync");
    }

    [Fact]
    public void A_report_of_sixteen_kernels_with_full_log_tails_fits_the_report_cap()
    {
        // The worst case per kernel: a 1 MiB tail (the agent's default LogTailBytes) of control characters, each
        // escaped by JSON as six bytes.
        var tail = new string('\u001b', 1 << 20);
        var observations = Enumerable.Range(0, 16)
            .Select(_ => new KernelObservation(Guid.NewGuid(), KernelObservedState.Removed, "c0ffee", 0, Logs: tail)).ToList();
        var weight = Weigh(new AgentReportRequest("node-01", observations));
        Assert.True(weight < RequestLimits.AgentReportBytes, $"the report weighs {weight} bytes");
        Assert.True(weight > 16L * 6 * (1 << 20), $"the report weighs only {weight} bytes: the worst case was not built");
    }

    private sealed class CountingStream : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }
}
