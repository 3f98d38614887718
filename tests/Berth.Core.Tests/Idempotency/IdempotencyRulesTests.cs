using Berth.Core.Idempotency;

namespace Berth.Core.Tests.Idempotency;

public class IdempotencyRulesTests
{
    [Theory]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("a")]
    [InlineData("run:2026-12-03/train#1")]
    public void Visible_ascii_keys_pass(string key) => Assert.Null(IdempotencyRules.Check(key));

    [Fact]
    public void No_key_passes() => Assert.Null(IdempotencyRules.Check(null));

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("tab\tkey")]
    [InlineData("nul\u0000")]
    [InlineData("ünï")]
    public void Empty_spaced_control_and_non_ascii_keys_are_refused(string key)
    {
        var problem = IdempotencyRules.Check(key)!;
        Assert.Equal(400, problem.Status);
        Assert.Equal("idempotency-key-invalid", problem.Rule);
        Assert.Equal("Idempotency-Key", problem.Field);
    }

    [Fact]
    public void A_key_may_have_255_characters_but_not_256()
    {
        Assert.Null(IdempotencyRules.Check(new string('k', 255)));
        var problem = IdempotencyRules.Check(new string('k', 256))!;
        // The detail quotes a short prefix, never the whole value.
        Assert.True(problem.Detail.Length < 300, problem.Detail);
    }

    [Fact]
    public void The_fingerprint_depends_on_operation_and_request()
    {
        var a = IdempotencyRules.Fingerprint("POST /api/sessions", "{\"name\":\"a\"}");
        Assert.Equal(a, IdempotencyRules.Fingerprint("POST /api/sessions", "{\"name\":\"a\"}"));
        Assert.NotEqual(a, IdempotencyRules.Fingerprint("POST /api/vfolders", "{\"name\":\"a\"}"));
        Assert.NotEqual(a, IdempotencyRules.Fingerprint("POST /api/sessions", "{\"name\":\"b\"}"));
        Assert.Equal(64, a.Length);
    }

    [Fact]
    public void A_record_answers_for_24_hours()
    {
        var created = new DateTimeOffset(2026, 12, 3, 6, 0, 0, TimeSpan.Zero);
        Assert.True(IdempotencyRules.IsLive(created, created.AddHours(23.99)));
        Assert.False(IdempotencyRules.IsLive(created, created.AddHours(24)));
    }
}
