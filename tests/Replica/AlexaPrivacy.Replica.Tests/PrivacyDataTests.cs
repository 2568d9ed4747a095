using System.Net;

namespace AlexaPrivacy.Replica.Tests;

public class PrivacyDataTests : IClassFixture<ReplicaFixture>
{
    private readonly ReplicaFixture _f;
    public PrivacyDataTests(ReplicaFixture f) => _f = f;

    private async Task<(Browserish Client, string Email, string Csrf)> SignedIn(object settings = null)
    {
        var email = $"d{Guid.NewGuid():N}@example.com";
        using var admin = _f.Admin();
        await admin.CreateAccount(new { email, password = "p", settings });
        var c = _f.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await c.SignIn(email, "p")).StatusCode);
        return (c, email, await c.CsrfOf());
    }

    [Fact]
    public async Task DataRequestWithoutCsrfHeaderIs403Html()
    {
        var (c, _, csrf) = await SignedIn();
        using var _ = c;
        var r = await c.Data("/alexa-privacy/apd/myad/settings-data", new { }, null);
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Equal("text/html", r.Content.Headers.ContentType!.MediaType);
        r = await c.Data("/alexa-privacy/apd/myad/settings-data", new { }, "not-the-token");
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        var ok = await c.DataJson("/alexa-privacy/apd/myad/settings-data", new { }, csrf);
        Assert.True(ok.GetProperty("settings").GetProperty("VoiceRecordingReview").GetBoolean());
        Assert.Equal("UntilDeleted", ok.GetProperty("settings").GetProperty("VoiceRecordingRetention").GetString());
    }

    [Fact]
    public async Task DataRequestWithoutSessionIs401WithSignInUrl()
    {
        using var c = _f.NewClient();
        var r = await c.Data("/alexa-privacy/apd/myad/settings-data", new { }, "x");
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Contains("/ap/signin?openid.return_to=", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SettingChangeIsStored()
    {
        var (c, email, csrf) = await SignedIn();
        using var _ = c;
        var answer = await c.DataJson("/alexa-privacy/apd/myad/update-setting", new { setting = "VoiceRecordingReview", value = false }, csrf);
        Assert.False(answer.GetProperty("settings").GetProperty("VoiceRecordingReview").GetBoolean());
        using var admin = _f.Admin();
        var acc = await admin.Json(HttpMethod.Get, "/__replica/accounts/" + email);
        Assert.False(acc.GetProperty("settings").GetProperty("VoiceRecordingReview").GetBoolean());
        Assert.True(acc.GetProperty("settings").GetProperty("PersonalizationDecoy").GetBoolean());
    }

    [Fact]
    public async Task ShorterRetentionDeletesOlderRecords()
    {
        var (c, email, csrf) = await SignedIn();
        using var _ = c;
        using var admin = _f.Admin();
        var now = DateTimeOffset.UtcNow;
        await admin.Json(HttpMethod.Post, $"/__replica/accounts/{email}/records", new
        {
            records = new[]
            {
                new { timestamp = now.AddDays(-1).ToUnixTimeMilliseconds(), device = "Kitchen Echo", transcript = "new", response = "ok" },
                new { timestamp = now.AddDays(-120).ToUnixTimeMilliseconds(), device = "Kitchen Echo", transcript = "old", response = "ok" },
                new { timestamp = now.AddDays(-700).ToUnixTimeMilliseconds(), device = "Kitchen Echo", transcript = "ancient", response = "ok" },
            },
        });
        await c.DataJson("/alexa-privacy/apd/myad/update-setting", new { setting = "VoiceRecordingRetention", value = "EighteenMonths" }, csrf);
        Assert.Equal(2, (await admin.Json(HttpMethod.Get, $"/__replica/accounts/{email}/records")).GetArrayLength());
        await c.DataJson("/alexa-privacy/apd/myad/update-setting", new { setting = "VoiceRecordingRetention", value = "ThreeMonths" }, csrf);
        var left = await admin.Json(HttpMethod.Get, $"/__replica/accounts/{email}/records");
        Assert.Equal("new", Assert.Single(left.EnumerateArray()).GetProperty("transcript").GetString());
        var acc = await admin.Json(HttpMethod.Get, "/__replica/accounts/" + email);
        Assert.Equal("ThreeMonths", acc.GetProperty("settings").GetProperty("VoiceRecordingRetention").GetString());
    }

    [Fact]
    public async Task PagesRenderWithoutData()
    {
        var (c, _, _) = await SignedIn();
        using var _c = c;
        var hub = await c.Http.GetStringAsync("/alexa-privacy/apd/home");
        Assert.Contains(">Alexa Privacy</h1>", hub);
        Assert.Contains(">Review Voice History</a>", hub);
        Assert.Contains(">Manage Your Alexa Data</a>", hub);
        Assert.Contains(">Review Activity History</a>", hub);
        var rvh = await c.Http.GetStringAsync("/alexa-privacy/apd/rvh");
        Assert.Contains(">Review Voice History</h1>", rvh);
        Assert.DoesNotContain("data-record-key=\"", rvh);
    }

    [Fact]
    public async Task DeleteRecordsThroughThePagesRequests()
    {
        var (c, email, _) = await SignedIn();
        using var _c = c;
        using var admin = _f.Admin();
        await admin.Json(HttpMethod.Post, $"/__replica/accounts/{email}/records", new { generate = new { count = 20, devices = new[] { "Kitchen Echo", "Bedroom Dot" }, days = 5, seed = 7 } });
        var csrf = await c.CsrfOf("/alexa-privacy/apd/rvh");
        var all = await admin.Json(HttpMethod.Get, $"/__replica/accounts/{email}/records");
        var key = all[0].GetProperty("key").GetString();
        var d = await c.DataJson("/alexa-privacy/apd/rvh/delete-records", new { recordKeys = new[] { key } }, csrf);
        Assert.Equal(1, d.GetProperty("deleted").GetInt32());
        long end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var kitchen = all.EnumerateArray().Count(r => r.GetProperty("device").GetString() == "Kitchen Echo" && r.GetProperty("key").GetString() != key);
        d = await c.DataJson($"/alexa-privacy/apd/rvh/delete-all?startTime=0&endTime={end}&deviceName=Kitchen%20Echo", new { }, csrf);
        Assert.Equal(kitchen, d.GetProperty("deleted").GetInt32());
        var left = await admin.Json(HttpMethod.Get, $"/__replica/accounts/{email}/records");
        Assert.All(left.EnumerateArray(), r => Assert.Equal("Bedroom Dot", r.GetProperty("device").GetString()));
    }
}
