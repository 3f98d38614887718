using Berth.Core.Sessions;

namespace Berth.Core.Tests.Sessions;

public class EnvironmentRulesTests
{
    private static Dictionary<string, string> Env(params (string K, string V)[] pairs) =>
        pairs.ToDictionary(p => p.K, p => p.V);

    [Fact]
    public void Null_and_empty_environments_pass()
    {
        Assert.Null(EnvironmentRules.Check(null));
        Assert.Null(EnvironmentRules.Check(Env()));
    }

    [Theory]
    [InlineData("FOO")]
    [InlineData("_x")]
    [InlineData("a1_B2")]
    [InlineData("PATH")]
    [InlineData("berth_lowercase_is_the_users")]
    [InlineData("BERTH")]
    public void Accepts_valid_names(string key) => Assert.Null(EnvironmentRules.Check(Env((key, "v"))));

    [Theory]
    [InlineData("1FOO")]
    [InlineData("FOO-BAR")]
    [InlineData("FOO BAR")]
    [InlineData("FOO=BAR")]
    [InlineData("FÖO")]
    [InlineData("FOO\n")]
    [InlineData("a.b")]
    public void Refuses_bad_names(string key)
    {
        var p = EnvironmentRules.Check(Env(("OK", "1"), (key, "v")))!;
        Assert.Equal(("env-name-invalid", "environment." + key, 400), (p.Rule, p.Field, p.Status));
        Assert.Contains(Berth.Core.Problems.ProblemText.Escape(key), p.Detail); // quoted, control characters escaped
    }

    [Theory]
    [InlineData("FOO", true)]
    [InlineData("_", true)]
    [InlineData("1A", false)]
    [InlineData("A-B", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsValidName_matches_the_check(string? key, bool valid) => Assert.Equal(valid, EnvironmentRules.IsValidName(key));

    [Fact]
    public void Empty_name_is_reported_on_the_environment()
    {
        var p = EnvironmentRules.Check(Env(("", "v")))!;
        Assert.Equal(("env-name-invalid", "environment"), (p.Rule, p.Field));
    }

    [Fact]
    public void Overlong_name_is_refused()
    {
        var key = new string('A', EnvironmentRules.MaxNameLength + 1);
        Assert.Equal("env-name-invalid", EnvironmentRules.Check(Env((key, "v")))!.Rule);
        Assert.Null(EnvironmentRules.Check(Env((new string('A', EnvironmentRules.MaxNameLength), "v"))));
    }

    [Theory]
    [InlineData("BERTH_")]
    [InlineData("BERTH_SESSION_ID")]
    [InlineData("BERTH_TOKEN")]
    public void Refuses_reserved_names(string key)
    {
        var p = EnvironmentRules.Check(Env((key, "v")))!;
        Assert.Equal(("env-name-reserved", "environment." + key, 400), (p.Rule, p.Field, p.Status));
        Assert.Contains("BERTH_", p.Detail);
    }

    [Fact]
    public void Refuses_nul_in_values()
    {
        var p = EnvironmentRules.Check(Env(("FOO", "a\0b")))!;
        Assert.Equal(("env-value-invalid", "environment.FOO"), (p.Rule, p.Field));
        Assert.Contains("NUL", p.Detail);
    }

    [Fact]
    public void Values_up_to_32_KiB_pass_and_larger_ones_are_refused()
    {
        Assert.Null(EnvironmentRules.Check(Env(("FOO", new string('x', 32 * 1024)))));
        Assert.Null(EnvironmentRules.Check(Env(("FOO", ""))));
        var p = EnvironmentRules.Check(Env(("FOO", new string('x', 32 * 1024 + 1))))!;
        Assert.Equal(("env-value-invalid", "environment.FOO"), (p.Rule, p.Field));
        Assert.Contains("32 KiB", p.Detail);
    }

    [Fact]
    public void Value_size_counts_utf8_bytes()
    {
        // 'é' is two bytes in UTF-8.
        var p = EnvironmentRules.Check(Env(("FOO", new string('é', 16 * 1024 + 1))));
        Assert.Equal("env-value-invalid", p?.Rule);
    }

    [Fact]
    public void At_most_128_variables()
    {
        var ok = Enumerable.Range(0, 128).ToDictionary(i => $"V{i}", i => "x");
        Assert.Null(EnvironmentRules.Check(ok));
        ok["V128"] = "x";
        var p = EnvironmentRules.Check(ok)!;
        Assert.Equal(("env-too-many", "environment", 400), (p.Rule, p.Field, p.Status));
        Assert.Contains("128", p.Detail);
    }

    [Theory]
    [InlineData("FOO=bar", "FOO", "bar")]
    [InlineData("FOO=", "FOO", "")]
    [InlineData("FOO=a=b", "FOO", "a=b")]
    [InlineData("FOO= spaced ", "FOO", " spaced ")]
    public void Parses_assignments(string text, string key, string value)
    {
        Assert.True(EnvironmentRules.TryParseAssignment(text, out var k, out var v));
        Assert.Equal((key, value), (k, v));
    }

    [Theory]
    [InlineData("FOO")]
    [InlineData("=bar")]
    [InlineData("")]
    [InlineData(null)]
    public void Refuses_malformed_assignments(string? text) =>
        Assert.False(EnvironmentRules.TryParseAssignment(text, out _, out _));

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(0.5, "1")]
    [InlineData(0.01, "1")]
    [InlineData(2.0, "2")]
    [InlineData(2.5, "3")]
    [InlineData(4.01, "5")]
    [InlineData(256.0, "256")]
    public void Hpc_defaults_are_ceil_of_cpu(double cpu, string expected)
    {
        var env = EnvironmentRules.WithHpcDefaults(null, cpu);
        Assert.Equal(6, env.Count);
        foreach (var name in new[] { "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                     "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "GOTO_NUM_THREADS" })
            Assert.Equal(expected, env[name]);
    }

    [Fact]
    public void Hpc_defaults_keep_user_values_and_other_variables()
    {
        var user = Env(("OMP_NUM_THREADS", "7"), ("FOO", "bar"));
        var env = EnvironmentRules.WithHpcDefaults(user, 2);
        Assert.Equal("7", env["OMP_NUM_THREADS"]);
        Assert.Equal("bar", env["FOO"]);
        Assert.Equal("2", env["MKL_NUM_THREADS"]);
        Assert.Equal(7, env.Count);
        Assert.Equal(2, user.Count); // the user's dictionary is not changed
    }

    [Fact]
    public void Hpc_defaults_ignore_float_noise() =>
        Assert.Equal("3", EnvironmentRules.WithHpcDefaults(null, 0.1 + 0.2 + 2.7)["OMP_NUM_THREADS"]);
}
