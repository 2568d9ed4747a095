using System.Net;

namespace AlexaPrivacy.Replica.Tests;

/// <summary>A replica of its own: these tests switch faults that would disturb other tests.</summary>
public sealed class FaultFixture : ReplicaFixture { }

public class FaultTests : IClassFixture<FaultFixture>, IAsyncLifetime
{
    private readonly FaultFixture _f;
    public FaultTests(FaultFixture f) => _f = f;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        using var admin = _f.Admin();
        await admin.Json(HttpMethod.Post, "/__replica/reset");
    }

    private async Task<(Browserish, string)> SignedIn()
    {
        var email = $"f{Guid.NewGuid():N}@example.com";
        using var admin = _f.Admin();
        await admin.CreateAccount(new { email, password = "p" });
        var c = _f.NewClient();
        await c.SignIn(email, "p");
        return (c, email);
    }

    [Fact]
    public async Task ThrottleAnswersTheNextMatchingRequests()
    {
        var (c, _) = await SignedIn();
        using var _c = c;
        using var admin = _f.Admin();
        await admin.Json(HttpMethod.Put, "/__replica/faults", new { throttle = new { status = 503, count = 2, pathPrefix = "/alexa-privacy" } });
        Assert.Equal(HttpStatusCode.OK, (await c.Http.GetAsync("/ap/signin")).StatusCode); // other paths are not throttled
        for (int i = 0; i < 2; i++)
        {
            var r = await c.Http.GetAsync("/alexa-privacy/apd/home");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
            Assert.Contains("Sorry! Something went wrong!", await r.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.OK, (await c.Http.GetAsync("/alexa-privacy/apd/home")).StatusCode);

        await admin.Json(HttpMethod.Put, "/__replica/faults", new { throttle = new { status = 429, count = 1, pathPrefix = "/" } });
        var limited = await c.Http.GetAsync("/ap/signin");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("Rate exceeded", await limited.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ThrottlesCountOnTheirOwnAndEveryThrottlesOneRequestInN()
    {
        var (c, _) = await SignedIn();
        using var _c = c;
        using var admin = _f.Admin();
        await admin.Json(HttpMethod.Put, "/__replica/faults", new
        {
            throttles = new object[]
            {
                new { status = 503, count = 2, pathPrefix = "/alexa-privacy/apd/home", every = 2 },
                new { status = 429, count = 1, pathPrefix = "/ap/signin" },
            },
        });
        var home = new List<HttpStatusCode>();
        for (int i = 0; i < 5; i++) home.Add((await c.Http.GetAsync("/alexa-privacy/apd/home")).StatusCode);
        // The first matching request and every second after it, until two are throttled.
        Assert.Equal(new[] { HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.OK }, home);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await c.Http.GetAsync("/ap/signin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await c.Http.GetAsync("/ap/signin")).StatusCode);

        await admin.Json(HttpMethod.Put, "/__replica/faults", new { throttles = new[] { new { status = 503, count = 1, every = 0 } } }, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task SessionsExpireAfterNPrivacyRequests()
    {
        using var admin = _f.Admin();
        await admin.Json(HttpMethod.Put, "/__replica/faults", new { expireAfterRequests = 3 });
        var (c, _) = await SignedIn();
        using var _c = c;
        for (int i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await c.Http.GetAsync("/alexa-privacy/apd/home")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await c.Http.GetAsync("/alexa-privacy/apd/home")).StatusCode);
    }

    [Fact]
    public async Task DroppedChangesAnswerSuccessButAreNotStored()
    {
        var (c, email) = await SignedIn();
        using var _c = c;
        using var admin = _f.Admin();
        await admin.Json(HttpMethod.Put, "/__replica/faults", new { dropChanges = true });
        var csrf = await c.CsrfOf();
        var answer = await c.DataJson("/alexa-privacy/apd/myad/update-setting", new { setting = "MessageTranscription", value = false }, csrf);
        Assert.False(answer.GetProperty("settings").GetProperty("MessageTranscription").GetBoolean());
        var stored = await c.DataJson("/alexa-privacy/apd/myad/settings-data", new { }, csrf);
        Assert.True(stored.GetProperty("settings").GetProperty("MessageTranscription").GetBoolean());
    }

    [Fact]
    public async Task HangHoldsRequestsUntilCleared()
    {
        var (c, _) = await SignedIn();
        using var _c = c;
        using var admin = _f.Admin();
        await admin.Json(HttpMethod.Put, "/__replica/faults", new { hang = new { pathPrefix = "/alexa-privacy/apd/home" } });
        var pending = c.Http.GetAsync("/alexa-privacy/apd/home");
        await Task.Delay(300);
        Assert.False(pending.IsCompleted);
        await admin.Json(HttpMethod.Put, "/__replica/faults", new { });
        var r = await pending.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
    }

    [Fact]
    public async Task FaultsRoundTripAndPageLatency()
    {
        using var admin = _f.Admin();
        await admin.Json(HttpMethod.Put, "/__replica/faults", new
        {
            pageLatencyMs = new[] { 200, 200 }, generation = "2019", language = "de_DE",
            removedSettings = new[] { "DeletionByVoice" }, labelOverrides = new Dictionary<string, string> { ["Sign in"] = "Sign-In" },
        });
        var f = await admin.Json(HttpMethod.Get, "/__replica/faults");
        Assert.Equal("2019", f.GetProperty("generation").GetString());
        Assert.Equal(2, f.GetProperty("latencyMs").GetArrayLength()); // the server default fills in
        using var c = _f.NewClient();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var html = await c.Http.GetStringAsync("/ap/signin?language=en_US");
        Assert.True(sw.ElapsedMilliseconds >= 190);
        Assert.Contains(">Sign-In</h1>", html);
        await admin.Json(HttpMethod.Put, "/__replica/faults", new { language = "de_DE" });
        using var c2 = _f.NewClient();
        Assert.Contains("E-Mail-Adresse", await c2.Http.GetStringAsync("/ap/signin"));
    }
}
