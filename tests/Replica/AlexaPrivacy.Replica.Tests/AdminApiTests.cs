using System.Net;

namespace AlexaPrivacy.Replica.Tests;

public class AdminApiTests : IClassFixture<ReplicaFixture>
{
    private readonly ReplicaFixture _f;
    public AdminApiTests(ReplicaFixture f) => _f = f;

    [Fact]
    public async Task AccountRoundTrip()
    {
        using var admin = _f.Admin();
        var email = $"Admin{Guid.NewGuid():N}@Example.com";
        var created = await admin.CreateAccount(new
        {
            email, password = "p", totpSecret = "JBSWY3DPEHPK3PXP",
            settings = new { DeletionByVoice = false }, devices = new[] { "Kitchen Echo", "Bedroom Dot" },
        });
        Assert.Equal("amazon.com", created.GetProperty("marketplace").GetString());
        var s = created.GetProperty("settings");
        Assert.True(s.GetProperty("VoiceRecordingReview").GetBoolean());
        Assert.True(s.GetProperty("MessageTranscription").GetBoolean());
        Assert.False(s.GetProperty("DeletionByVoice").GetBoolean());
        Assert.Equal("UntilDeleted", s.GetProperty("VoiceRecordingRetention").GetString());
        Assert.True(s.GetProperty("PersonalizationDecoy").GetBoolean());

        var got = await admin.Json(HttpMethod.Get, "/__replica/accounts/" + email.ToLowerInvariant());
        Assert.Equal(0, got.GetProperty("signInCount").GetInt32());
        Assert.Equal(0, got.GetProperty("failedPasswordCount").GetInt32());
        Assert.False(got.GetProperty("locked").GetBoolean());
        Assert.Equal(0, got.GetProperty("recordCount").GetInt32());
        Assert.Equal(0, got.GetProperty("activeSessions").GetInt32());

        await admin.Json(HttpMethod.Patch, "/__replica/accounts/" + email, new { settings = new { VoiceRecordingRetention = "ThreeMonths" }, challenge = "captcha" });
        got = await admin.Json(HttpMethod.Get, "/__replica/accounts/" + email);
        Assert.Equal("ThreeMonths", got.GetProperty("settings").GetProperty("VoiceRecordingRetention").GetString());
        Assert.False(got.GetProperty("settings").GetProperty("DeletionByVoice").GetBoolean());
        Assert.Equal("captcha", got.GetProperty("challenge").GetString());

        // Posting the same email again replaces the account.
        await admin.CreateAccount(new { email = email.ToUpperInvariant(), password = "q" });
        got = await admin.Json(HttpMethod.Get, "/__replica/accounts/" + email);
        Assert.True(got.GetProperty("settings").GetProperty("DeletionByVoice").GetBoolean());
    }

    [Fact]
    public async Task UnknownAccountIs404AndBadInputIs400()
    {
        using var admin = _f.Admin();
        await admin.Json(HttpMethod.Get, "/__replica/accounts/nobody@example.com", expect: HttpStatusCode.NotFound);
        await admin.Json(HttpMethod.Post, "/__replica/accounts", new { email = "x@example.com", password = "p", totpSecret = "not base32!" }, HttpStatusCode.BadRequest);
        await admin.Json(HttpMethod.Post, "/__replica/accounts", new { email = "x@example.com", password = "p", settings = new { Nope = true } }, HttpStatusCode.BadRequest);
        await admin.Json(HttpMethod.Put, "/__replica/faults", new { throttle = new { status = 500, count = 1 } }, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ExpireSessionsSendsTheNextPageToSignIn()
    {
        using var admin = _f.Admin();
        var email = $"exp{Guid.NewGuid():N}@example.com";
        await admin.CreateAccount(new { email, password = "p" });
        using var c = _f.NewClient();
        await c.SignIn(email, "p");
        Assert.Equal(HttpStatusCode.OK, (await c.Http.GetAsync("/alexa-privacy/apd/home")).StatusCode);
        var r = await admin.Json(HttpMethod.Post, $"/__replica/accounts/{email}/expire-sessions");
        Assert.Equal(1, r.GetProperty("expired").GetInt32());
        var page = await c.Http.GetAsync("/alexa-privacy/apd/home");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/ap/signin?openid.return_to=", page.Headers.Location!.ToString());
        Assert.Equal(0, (await admin.Json(HttpMethod.Get, "/__replica/accounts/" + email)).GetProperty("activeSessions").GetInt32());
    }

    [Fact]
    public async Task StatsCountSignIns()
    {
        using var admin = _f.Admin();
        var before = await admin.Json(HttpMethod.Get, "/__replica/stats");
        var email = $"st{Guid.NewGuid():N}@example.com";
        await admin.CreateAccount(new { email, password = "p" });
        using var c = _f.NewClient();
        await c.SignIn(email, "p");
        var after = await admin.Json(HttpMethod.Get, "/__replica/stats");
        Assert.True(after.GetProperty("signIns").GetInt32() >= before.GetProperty("signIns").GetInt32() + 1);
        Assert.True(after.GetProperty("requests").GetInt64() > before.GetProperty("requests").GetInt64());
        Assert.True(after.GetProperty("activeSessions").GetInt32() >= 1);
    }
}
