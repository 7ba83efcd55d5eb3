using TrafficActors.Web.Management;
using Xunit;

namespace TrafficActors.Tests.Commands;

/// <summary>The bearer check that guards cluster-changing routes.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class AdminTokenTests
{
    [Fact]
    public void Without_a_configured_token_every_request_is_refused_as_not_configured()
    {
        var token = new AdminToken(null);
        Assert.False(token.IsConfigured);
        Assert.Equal(AdminAccess.NotConfigured, token.Check("Bearer anything"));
        Assert.Equal(AdminAccess.NotConfigured, token.Check(null));
        Assert.Equal(AdminAccess.NotConfigured, new AdminToken("").Check("Bearer "));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("s3cret-token")]
    [InlineData("Basic s3cret-token")]
    [InlineData("Bearer s3cret-toke")]
    [InlineData("Bearer s3cret-token-and-more")]
    [InlineData("Bearer S3CRET-TOKEN")]
    [InlineData("Bearer")]
    public void Wrong_or_missing_tokens_are_denied(string? header) =>
        Assert.Equal(AdminAccess.Denied, new AdminToken("s3cret-token").Check(header));

    [Theory]
    [InlineData("Bearer s3cret-token")]
    [InlineData("bearer s3cret-token")]
    [InlineData("Bearer  s3cret-token ")]
    public void The_right_token_is_granted(string header) =>
        Assert.Equal(AdminAccess.Granted, new AdminToken("s3cret-token").Check(header));

    [Fact]
    public void The_token_never_appears_in_its_string_form() =>
        Assert.DoesNotContain("s3cret", new AdminToken("s3cret-token").ToString(), StringComparison.Ordinal);
}
