using System.Net;

namespace AlexaPrivacy.Replica.Tests;

public sealed class GermanMarketplaceFixture : ReplicaFixture
{
    protected override ReplicaOptions Options => new() { Marketplace = "amazon.de", DataLatencyMs = new[] { 0, 0 } };
}

public class MarketplaceTests : IClassFixture<GermanMarketplaceFixture>
{
    private readonly GermanMarketplaceFixture _f;
    public MarketplaceTests(GermanMarketplaceFixture f) => _f = f;

    [Fact]
    public async Task GermanMarketplaceUsesItsSuffixAndLanguage()
    {
        using var admin = _f.Admin();
        var email = $"de{Guid.NewGuid():N}@example.de";
        var acc = await admin.CreateAccount(new { email, password = "p" });
        Assert.Equal("amazon.de", acc.GetProperty("marketplace").GetString());
        using var c = _f.NewClient();
        Assert.Contains("E-Mail-Adresse oder Mobiltelefonnummer", await c.Http.GetStringAsync("/ap/signin"));
        var r = await c.SignIn(email, "p");
        var cookies = r.Headers.GetValues("Set-Cookie").ToList();
        foreach (var name in new[] { "ubid-acbde", "at-acbde", "sess-at-acbde", "x-acbde" })
            Assert.Contains(cookies, s => s.StartsWith(name + "="));
        var hub = await c.Http.GetStringAsync("/alexa-privacy/apd/home");
        Assert.Contains("Alexa-Datenschutz", hub);
        Assert.Contains("Ihre Alexa-Daten verwalten", hub);
        Assert.Contains("Manage Your Alexa Data", await c.Http.GetStringAsync("/alexa-privacy/apd/home?language=en_US"));
    }

    [Fact]
    public async Task AccountOfAnotherMarketplaceIsUnknown()
    {
        using var admin = _f.Admin();
        var email = $"us{Guid.NewGuid():N}@example.com";
        await admin.CreateAccount(new { email, password = "p", marketplace = "amazon.com" });
        using var c = _f.NewClient();
        var (html, _) = await c.SubmitEmail(email);
        Assert.Equal("Wir können kein Konto mit dieser E-Mail-Adresse finden", Browserish.ErrorText(html));
        var redirect = await c.Http.GetAsync("/alexa-privacy/apd/myad");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
    }

    [Fact]
    public void DatesFollowTheLanguage()
    {
        var d = new DateTimeOffset(2026, 3, 5, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal("March 5, 2026", Labels.FormatDate(d, "en_US"));
        Assert.Equal("5 March 2026", Labels.FormatDate(d, "en_GB"));
        Assert.Equal("5 March 2026", Labels.FormatDate(d, "en_IN"));
        Assert.Equal("5. März 2026", Labels.FormatDate(d, "de_DE"));
    }
}
