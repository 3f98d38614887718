using Berth.Agent;
using Berth.Agent.Gpus;
using Berth.Agent.Runtime;
using Berth.Core.Agents;

namespace Berth.Agent.Tests;

/// <summary>GPU detection and allocation. No GPU on the test machines: nvidia-smi's output is given as text.</summary>
public class GpuTests
{
    private const string TwoH100 = """
        0, GPU-1a2b3c4d-0000-1111-2222-333344445555, NVIDIA H100 80GB HBM3, 81559
        1, GPU-9f8e7d6c-0000-1111-2222-333344445555, NVIDIA H100 80GB HBM3, 81559
        """;

    [Fact]
    public void Nvidia_smi_csv_is_parsed_into_devices()
    {
        var devices = NvidiaSmi.Parse(TwoH100);
        Assert.Equal(2, devices.Count);
        Assert.Equal(new GpuDevice(0, "GPU-1a2b3c4d-0000-1111-2222-333344445555", "NVIDIA H100 80GB HBM3", 81559), devices[0]);
        Assert.Equal(1, devices[1].Index);
    }

    [Theory]
    [InlineData("")]
    [InlineData("No devices were found")]
    [InlineData("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.")]
    public void Anything_else_means_no_gpus(string output) => Assert.Empty(NvidiaSmi.Parse(output));

    [Fact]
    public void A_missing_nvidia_smi_means_no_gpus() => Assert.Empty(NvidiaSmi.Detect("/nonexistent/nvidia-smi"));

    [Fact]
    public void Allocation_takes_free_devices_lowest_index_first_and_refuses_too_many()
    {
        var devices = NvidiaSmi.Parse(TwoH100);
        var taken = new HashSet<string> { devices[0].Uuid };
        Assert.Equal([devices[1]], GpuInventory.Allocate(devices, taken, 1));
        Assert.Equal(devices, GpuInventory.Allocate(devices, new HashSet<string>(), 2));
        var e = Assert.Throws<InvalidOperationException>(() => GpuInventory.Allocate(devices, taken, 2));
        Assert.Contains("not enough free GPUs", e.Message);
    }

    [Fact]
    public void Allocated_gpus_become_a_device_request_and_a_label()
    {
        var spec = new KernelSpec(Guid.NewGuid(), Guid.NewGuid(), "gpu-job", Guid.NewGuid(), "berth/python:latest", [], false,
            new Dictionary<string, string>(), 2, 1L << 30, 64L << 20, 4096, [], KernelDesiredState.Running, false, CudaDevices: 1);
        var uuid = NvidiaSmi.Parse(TwoH100)[1].Uuid;
        var parameters = ContainerSpecFactory.Build(spec, new AgentOptions { Id = "gpu-node" }, "/tmp/scratch", [], [], [uuid]);
        var request = Assert.Single(parameters.HostConfig!.DeviceRequests);
        Assert.Equal("nvidia", request.Driver);
        Assert.Equal([uuid], request.DeviceIDs);
        Assert.Equal(uuid, parameters.Labels[ContainerLabels.CudaDevices]);

        var cpuOnly = ContainerSpecFactory.Build(spec with { CudaDevices = 0 }, new AgentOptions { Id = "gpu-node" }, "/tmp/scratch", [], []);
        Assert.Empty(cpuOnly.HostConfig!.DeviceRequests);
    }
}
