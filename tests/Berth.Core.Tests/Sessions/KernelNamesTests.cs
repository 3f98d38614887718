using Berth.Core.Sessions;

namespace Berth.Core.Tests.Sessions;

public class KernelNamesTests
{
    [Fact]
    public void A_session_has_main1_then_one_sub_per_further_container()
    {
        Assert.Equal(["main1"], KernelNames.Of(1));
        Assert.Equal(["main1", "sub1", "sub2"], KernelNames.Of(3));
        Assert.Equal(["main1"], KernelNames.Of(0));
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData("main1", 1)]
    [InlineData("sub2", 3)]
    public void Its_own_kernels_pass(string? kernel, int size) => Assert.Null(KernelNames.Check(kernel, "s", size));

    [Theory]
    [InlineData("sub1", 1)]
    [InlineData("sub3", 3)]
    [InlineData("MAIN1", 2)]
    [InlineData("", 2)]
    public void Any_other_name_is_not_found_and_the_problem_lists_the_real_ones(string kernel, int size)
    {
        var problem = KernelNames.Check(kernel, "job", size);
        Assert.NotNull(problem);
        Assert.Equal(404, problem.Status);
        Assert.Equal("kernel-not-found", problem.Rule);
        Assert.Equal("kernel", problem.Field);
        Assert.Contains(string.Join(", ", KernelNames.Of(size)), problem.Detail);
    }
}
