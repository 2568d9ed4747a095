using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AlexaPrivacy.Replica.Tests;

/// <summary>The variant choices themselves: deterministic per seed, every choice reachable.</summary>
public class VariantChoiceTests
{
    [Fact]
    public void SameSeedGivesTheSameChoices()
    {
        foreach (var seed in new[] { 0, 1, 42, -7, int.MaxValue })
            Assert.Equal(Variant.FromSeed(seed).Choices, Variant.FromSeed(seed).Choices);
        Assert.Equal(Variant.Freedoms.Select(f => f.Name), Variant.FromSeed(3).Choices.Keys.OrderBy(k => Variant.Freedoms.ToList().FindIndex(f => f.Name == k)));
    }

    [Fact]
    public void AcrossFiftySeedsEveryChoiceOfEveryFreedomOccurs()
    {
        var variants = Enumerable.Range(1, 50).Select(Variant.FromSeed).ToList();
        foreach (var (name, choices) in Variant.Freedoms)
            foreach (var choice in choices)
                Assert.True(variants.Any(v => v[name] == choice), $"freedom {name}: choice {choice} never chosen in seeds 1..50");
    }

    [Fact]
    public void FreedomsVaryIndependentlyOfEachOther()
    {
        // Two-choice freedoms drawn from one shared stream would move in lock-step; their own streams do not.
        var twoChoice = Variant.Freedoms.Where(f => f.Choices.Length == 2).Select(f => f.Name).ToList();
        var patterns = twoChoice.Select(n => string.Concat(Enumerable.Range(1, 40).Select(s => Variant.FromSeed(s)[n] == Variant.Freedoms.First(f => f.Name == n).Choices[0] ? '0' : '1'))).ToList();
        Assert.Equal(patterns.Count, patterns.Distinct().Count());
    }

    [Fact]
    public void MangledNamesAgreeWithThePageScripts()
    {
        // variant.js computes the same names (FNV-1a over UTF-16); pinned values guard both sides.
        var v = Variant.FromSeed(5);
        Assert.Equal(v.Mangle("settings-root"), Variant.FromSeed(5).Mangle("settings-root"));
        Assert.NotEqual(v.Mangle("settings-root"), Variant.FromSeed(6).Mangle("settings-root"));
        Assert.Matches("^x[0-9a-f]+[0-9]+$", v.Mangle("status"));
        Assert.Equal(0xE40C292Cu, Variant.Fnv("a")); // FNV-1a 32 of "a"
    }
}

public sealed class VariantFixture : ReplicaFixture
{
    protected override ReplicaOptions Options => new() { DataLatencyMs = new[] { 0, 0 }, Variant = 11 };
}

/// <summary>Variant mode over HTTP: admin API, sign-in markup, privacy page frames, interstitials, passkeys, throttleRate.</summary>
public class VariantTests : IClassFixture<VariantFixture>, IAsyncLifetime
{
    private const string Secret = "JBSW Y3DP EHPK 3PXP KZZZ YYXX WWAB CDEF GHIJ KLMN OPQR STUV W234";
    private readonly VariantFixture _f;
    public VariantTests(VariantFixture f) => _f = f;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        using var admin = _f.Admin();
        await admin.Json(HttpMethod.Post, "/__replica/reset");
    }

    /// <summary>The first seed whose choices match all the given ones.</summary>
    private static int SeedWith(params (string Freedom, string Choice)[] wanted) =>
        Enumerable.Range(1, 100_000).First(s => { var v = Variant.FromSeed(s); return wanted.All(w => v[w.Freedom] == w.Choice); });

    private async Task UseSeed(int? seed)
    {
        using var admin = _f.Admin();
        var answer = await admin.Json(HttpMethod.Put, "/__replica/variant", new { seed });
        if (seed == null) Assert.Equal(JsonValueKind.Null, answer.GetProperty("seed").ValueKind);
        else Assert.Equal(seed, answer.GetProperty("seed").GetInt32());
    }

    private async Task<string> NewAccount(object extra = null, string totp = null)
    {
        var email = $"v{Guid.NewGuid():N}@example.com";
        using var admin = _f.Admin();
        var body = new Dictionary<string, object> { ["email"] = email, ["password"] = "pw", ["totpSecret"] = totp };
        if (extra != null) foreach (var p in extra.GetType().GetProperties()) body[p.Name] = p.GetValue(extra);
        await admin.CreateAccount(body);
        return email;
    }

    /// <summary>Every first-page record of the feed for a range, with the deviceName parameter the contract does not have.</summary>
    private static async Task<(List<string> Devices, int FirstPage)> FeedWithDevice(Browserish c, string csrf, string device)
    {
        long end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var devices = new List<string>();
        string token = null;
        int firstPage = -1;
        do
        {
            var page = await c.DataJson($"/alexa-privacy/apd/rvh/customer-history-records-v2?startTime=0&endTime={end}&pageType=VOICE_HISTORY&deviceName={Uri.EscapeDataString(device)}",
                new { previousRequestToken = token }, csrf);
            var records = page.GetProperty("customerHistoryRecords");
            if (firstPage < 0) firstPage = records.GetArrayLength();
            devices.AddRange(records.EnumerateArray().Select(r => r.GetProperty("device").GetProperty("deviceName").GetString()));
            token = page.GetProperty("encodedRequestToken").ValueKind == JsonValueKind.Null ? null : page.GetProperty("encodedRequestToken").GetString();
        } while (token != null);
        return (devices, firstPage);
    }

    [Fact]
    public async Task FeedHonoursOrIgnoresTheDeviceParameterAndPagesBySizeAsTheFreedomsSay()
    {
        // deviceFiltering=server: the replica's own deviceName filters the feed; =page: the feed ignores it
        // (as the contract's feed has no device parameter) and the page filters. pageSize=small: 10 of 50.
        foreach (var (filtering, size) in new[] { ("server", "option"), ("page", "small") })
        {
            int seed = SeedWith(("deviceFiltering", filtering), ("pageSize", size), ("interstitials", "none"), ("passkeyPrompt", "passkey-accounts"), ("passwordStep", "same-url"));
            await UseSeed(seed);
            var email = await NewAccount(new { devices = new[] { "Kitchen Echo", "Bedroom Echo Dot" } });
            using (var admin = _f.Admin())
            {
                await admin.Json(HttpMethod.Post, $"/__replica/accounts/{email}/records",
                    new { generate = new { count = 60, devices = new[] { "Kitchen Echo", "Bedroom Echo Dot" }, days = 5, seed = 7 } });
            }
            using var c = _f.NewClient();
            await c.SignIn(email, "pw");
            var csrf = await c.CsrfOf("/alexa-privacy/apd/rvh");
            var (devices, firstPage) = await FeedWithDevice(c, csrf, "Kitchen Echo");
            Assert.Equal(Math.Min(size == "small" ? 10 : 50, devices.Count), firstPage);
            if (filtering == "server")
            {
                Assert.NotEmpty(devices);
                Assert.All(devices, d => Assert.Equal("Kitchen Echo", d));
            }
            else
            {
                Assert.Equal(60, devices.Count);
                Assert.Contains("Bedroom Echo Dot", devices);
            }
            // "Delete all" of the page keeps its device on every rendering: the feed's freedom is not the deletion's.
            var deleted = await c.DataJson($"/alexa-privacy/apd/rvh/delete-all?startTime=0&endTime={DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}&deviceName=Kitchen%20Echo", new { }, csrf);
            Assert.True(deleted.GetProperty("deleted").GetInt32() > 0);
            using (var admin = _f.Admin())
            {
                var left = await admin.Json(HttpMethod.Get, $"/__replica/accounts/{email}/records");
                Assert.All(left.EnumerateArray(), r => Assert.Equal("Bedroom Echo Dot", r.GetProperty("device").GetString()));
                Assert.Equal(60 - deleted.GetProperty("deleted").GetInt32(), left.GetArrayLength());
            }
        }
    }

    [Fact]
    public async Task VoiceHistoryPageCarriesTheRangeAndDeletionFreedomsAndAnApplyLabel()
    {
        foreach (var (range, scope) in new[] { ("apply-button", "loaded"), ("enter", "filter"), ("input", "filter"), ("change", "loaded") })
        {
            int seed = SeedWith(("customRange", range), ("deleteAllScope", scope), ("interstitials", "none"), ("passkeyPrompt", "passkey-accounts"), ("passwordStep", "same-url"));
            await UseSeed(seed);
            var email = await NewAccount();
            using var c = _f.NewClient();
            await c.SignIn(email, "pw");
            var html = await c.Http.GetStringAsync("/alexa-privacy/apd/rvh");
            Assert.Contains($"\"customRange\":\"{range}\"", html);
            Assert.Contains($"\"deleteAllScope\":\"{scope}\"", html);
            Assert.Contains("\"rvh.apply\":\"Apply\"", html);
        }
    }

    [Fact]
    public async Task StartupSeedIsInForceAndResetRestoresIt()
    {
        using var admin = _f.Admin();
        var v = await admin.Json(HttpMethod.Get, "/__replica/variant");
        Assert.Equal(11, v.GetProperty("seed").GetInt32());
        var freedoms = v.GetProperty("freedoms");
        foreach (var (name, _) in Variant.Freedoms) Assert.Equal(Variant.FromSeed(11)[name], freedoms.GetProperty(name).GetString());

        await UseSeed(null);
        v = await admin.Json(HttpMethod.Get, "/__replica/variant");
        Assert.Equal(JsonValueKind.Null, v.GetProperty("seed").ValueKind);
        Assert.Empty(v.GetProperty("freedoms").EnumerateObject());

        await admin.Json(HttpMethod.Put, "/__replica/variant", new { seed = "x" }, HttpStatusCode.BadRequest);
        await admin.Json(HttpMethod.Put, "/__replica/variant", new { other = 1 }, HttpStatusCode.BadRequest);
        await admin.Json(HttpMethod.Post, "/__replica/reset");
        Assert.Equal(11, (await admin.Json(HttpMethod.Get, "/__replica/variant")).GetProperty("seed").GetInt32());
        Assert.Equal(11, (await admin.Json(HttpMethod.Get, "/__replica/info")).GetProperty("variant").GetInt32());
    }

    [Fact]
    public async Task DefaultRenderingHasNoVariantTraces()
    {
        await UseSeed(null);
        var email = await NewAccount();
        using var c = _f.NewClient();
        await c.SignIn(email, "pw");
        foreach (var (path, root) in new[] { ("/alexa-privacy/apd/myad", "settings-root"), ("/alexa-privacy/apd/rvh", "rvh-root") })
        {
            var html = await c.Http.GetStringAsync(path);
            Assert.Contains("<script id=\"page-config\" type=\"application/json\">", html);
            Assert.Contains($"id=\"{root}\"", html);
            Assert.DoesNotContain("\"variant\"", html);
            Assert.DoesNotContain("<script src=", html);
            // The default rendering's choices travel as data, names=fixed among them.
            var config = JsonDocument.Parse(Regex.Match(html, "<script id=\"page-config\" type=\"application/json\">(.*?)</script>").Groups[1].Value).RootElement;
            Assert.Equal(JsonValueKind.Null, config.GetProperty("rendering").GetProperty("seed").ValueKind);
            Assert.Equal("fixed", config.GetProperty("rendering").GetProperty("freedoms").GetProperty("names").GetString());
        }
        var signIn = await c.Http.GetStringAsync("/ap/signin");
        Assert.DoesNotContain("auth-error-message-box", signIn);
    }

    [Fact]
    public async Task PrivacyPagesCarryTheChoicesAndRandomNames()
    {
        int seed = SeedWith(("names", "random"), ("assets", "external"), ("interstitials", "none"), ("passkeyPrompt", "passkey-accounts"));
        await UseSeed(seed);
        var email = await NewAccount();
        using var c = _f.NewClient();
        await c.SignIn(email, "pw");
        foreach (var path in new[] { "/alexa-privacy/apd/myad", "/alexa-privacy/apd/rvh" })
        {
            var html = await c.Http.GetStringAsync(path);
            Assert.NotEmpty(Browserish.Csrf(html));
            Assert.DoesNotContain("id=\"settings-root\"", html);
            Assert.DoesNotContain("id=\"rvh-root\"", html);
            Assert.DoesNotContain("id=\"status\"", html);
            Assert.DoesNotContain("class=\"privacy-main\"", html);
            Assert.Contains("role=\"status\"", html);
            var config = Regex.Match(html, "<script type=\"application/json\">(.*?)</script>").Groups[1].Value;
            var variant = JsonDocument.Parse(config).RootElement.GetProperty("variant");
            Assert.Equal(seed, variant.GetProperty("seed").GetInt32());
            Assert.Equal("random", variant.GetProperty("freedoms").GetProperty("names").GetString());
            var scripts = Regex.Matches(html, "<script src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(3, scripts.Count);
            foreach (var src in scripts.Append(Regex.Match(html, "<link rel=\"stylesheet\" href=\"([^\"]+)\"").Groups[1].Value))
            {
                var r = await c.Http.GetAsync(src);
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            }
            var css = await c.Http.GetStringAsync($"/alexa-privacy/apd/static/site.css?v={seed}");
            Assert.DoesNotContain(".privacy-main{", css);
            Assert.Contains("color:#0f1111", css); // declarations untouched
        }
    }

    [Fact]
    public async Task SignInMarkupVariesButKeepsTheContractIds()
    {
        int seed = SeedWith(("signinDuplicates", "type-hidden"), ("signinMessageBoxes", "always-present"), ("signinSubmit", "transparent-overlay"), ("passkeyPrompt", "passkey-accounts"), ("interstitials", "none"), ("passwordStep", "same-url"));
        await UseSeed(seed);
        var email = await NewAccount();
        using var c = _f.NewClient();
        var emailPage = await c.Http.GetStringAsync("/ap/signin");
        Assert.Matches("<div id=\"auth-error-message-box\"[^>]*hidden", emailPage);
        Assert.Matches("<div id=\"auth-warning-message-box\"[^>]*hidden", emailPage);
        Assert.Matches("<input id=\"continue\"[^>]*type=\"submit\"[^>]*opacity:0", emailPage);
        var (passwordPage, flow) = await c.SubmitEmail(email);
        Assert.Contains("<input type=\"hidden\" id=\"ap_email\" name=\"email\"", passwordPage);
        Assert.Matches("<input id=\"signInSubmit\"[^>]*type=\"submit\"", passwordPage);
        Assert.Contains("id=\"ap_password\"", passwordPage);
        var r = await c.PostForm("/ap/signin", ("workflowState", flow), ("password", "wrong"));
        var again = await r.Content.ReadAsStringAsync();
        Assert.Equal("Your password is incorrect", Browserish.ErrorText(again));
        Assert.Matches("<div id=\"auth-warning-message-box\"[^>]*hidden", again);

        seed = SeedWith(("signinDuplicates", "css-hidden"), ("passkeyPrompt", "passkey-accounts"), ("passwordStep", "same-url"));
        await UseSeed(seed);
        emailPage = await c.Http.GetStringAsync("/ap/signin");
        Assert.Matches("style=\"display:none\" aria-hidden=\"true\">\\s*<label for=\"ap_password\"", emailPage);
        Assert.DoesNotMatch("<input type=\"password\"[^>]*name=", emailPage); // the hidden duplicate is never submitted
        (passwordPage, _) = await c.SubmitEmail(email);
        Assert.Matches("style=\"display:none\">\\s*<label for=\"ap_email\"", passwordPage);
    }

    [Fact]
    public async Task PasswordStepCanMoveToAxClaim()
    {
        int seed = SeedWith(("passwordStep", "ax-claim"), ("passkeyPrompt", "passkey-accounts"), ("interstitials", "none"));
        await UseSeed(seed);
        var email = await NewAccount();
        using var c = _f.NewClient();
        var page = await c.Http.GetStringAsync("/ap/signin");
        var r = await c.PostForm("/ap/signin", ("workflowState", Browserish.Hidden(page, "workflowState")), ("email", email));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.StartsWith("/ax/claim?", r.Headers.Location!.ToString());
        var password = await c.Http.GetStringAsync(r.Headers.Location);
        Assert.Contains("id=\"ap_password\"", password);
        Assert.Contains("action=\"/ap/signin\"", password);
        r = await c.PostForm("/ap/signin", ("workflowState", Browserish.Hidden(password, "workflowState")), ("password", "pw"));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Contains(r.Headers.GetValues("Set-Cookie"), v => v.StartsWith("at-main="));
    }

    [Fact]
    public async Task SignInsEndpointCountsSignInsPasswordsAndCodes()
    {
        await UseSeed(null);
        var email = await NewAccount(totp: Secret);
        using var c = _f.NewClient();
        var (_, flow) = await c.SubmitEmail(email);
        await c.PostForm("/ap/signin", ("workflowState", flow), ("password", "wrong"));
        var r = await c.PostForm("/ap/signin", ("workflowState", flow), ("password", "pw"));
        var mfa = await c.Http.GetStringAsync(r.Headers.Location);
        var good = TestTotp.Code(Secret, DateTimeOffset.UtcNow);
        var bad = ((int.Parse(good) + 500_000) % 1_000_000).ToString("D6");
        await c.PostForm("/ap/mfa", ("workflowState", Browserish.Hidden(mfa, "workflowState")), ("otpCode", bad));
        r = await c.PostForm("/ap/mfa", ("workflowState", Browserish.Hidden(mfa, "workflowState")), ("otpCode", good));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);

        using var admin = _f.Admin();
        var s = await admin.Json(HttpMethod.Get, $"/__replica/accounts/{email}/sign-ins");
        Assert.Equal(1, s.GetProperty("signIns").GetInt32());
        Assert.Equal(2, s.GetProperty("passwordsReceived").GetInt32());
        Assert.Equal(new[] { bad, good }, s.GetProperty("codesReceived").EnumerateArray().Select(e => e.GetString()));
        await admin.Json(HttpMethod.Get, "/__replica/accounts/nobody@example.com/sign-ins", expect: HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task InterstitialsComeAfterTheLastStepAndNoSessionBeforeDeclining()
    {
        await UseSeed(null);
        using var admin = _f.Admin();
        await admin.Json(HttpMethod.Put, "/__replica/faults", new { interstitials = new[] { "phone", "passkey" } });
        var email = await NewAccount();
        using var c = _f.NewClient();
        var r = await c.SignIn(email, "pw", returnTo: "/alexa-privacy/apd/rvh");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.StartsWith("/ap/accountfixup?", r.Headers.Location!.ToString());
        Assert.False(r.Headers.Contains("Set-Cookie") && r.Headers.GetValues("Set-Cookie").Any(v => v.StartsWith("at-main=")));

        var phone = await c.Http.GetStringAsync(r.Headers.Location);
        Assert.Contains("<h1 class=\"a-spacing-small\">Add mobile number</h1>", phone);
        Assert.Contains("id=\"ap_phone_number\"", phone);
        var skip = Regex.Match(phone, "<a id=\"ap-account-fixup-phone-skip-link\"[^>]*href=\"([^\"]+)\">Not now</a>");
        Assert.True(skip.Success);
        Assert.Equal(HttpStatusCode.Redirect, (await c.Http.GetAsync("/alexa-privacy/apd/home")).StatusCode); // still signed out

        r = await c.Http.GetAsync(WebUtility.HtmlDecode(skip.Groups[1].Value));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.False(r.Headers.Contains("Set-Cookie"));
        var offer = await c.Http.GetStringAsync(r.Headers.Location);
        Assert.Contains("Sign in faster with a passkey", offer);
        Assert.Contains(">Set up a passkey<", offer);
        var notNow = Regex.Match(offer, "<a id=\"passkey-nudge-skip-link\"[^>]*href=\"([^\"]+)\">Not now</a>");
        Assert.True(notNow.Success);
        r = await c.Http.GetAsync(WebUtility.HtmlDecode(notNow.Groups[1].Value));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal(new Uri(_f.BaseUri, "/alexa-privacy/apd/rvh").ToString(), r.Headers.Location!.ToString());
        Assert.Contains(r.Headers.GetValues("Set-Cookie"), v => v.StartsWith("at-main="));
        Assert.Equal(HttpStatusCode.OK, (await c.Http.GetAsync("/alexa-privacy/apd/rvh")).StatusCode);
        Assert.Equal(1, (await admin.Json(HttpMethod.Get, $"/__replica/accounts/{email}/sign-ins")).GetProperty("signIns").GetInt32());
    }

    [Fact]
    public async Task InterstitialsSpeakGermanAndTheButtonDeclineWorks()
    {
        int seed = SeedWith(("interstitials", "passkey"), ("passkeyDecline", "button"), ("passkeyPrompt", "passkey-accounts"));
        await UseSeed(seed);
        using var admin = _f.Admin();
        await admin.Json(HttpMethod.Put, "/__replica/faults", new { language = "de_DE" });
        var email = await NewAccount();
        using var c = _f.NewClient();
        var r = await c.SignIn(email, "pw");
        Assert.StartsWith("/ap/accountfixup?", r.Headers.Location!.ToString());
        var offer = await c.Http.GetStringAsync(r.Headers.Location);
        Assert.Contains("Schneller anmelden mit einem Passkey", offer);
        Assert.Contains(">Passkey einrichten<", offer);
        Assert.Contains(">Nicht jetzt</button>", offer);
        r = await c.PostForm("/ap/accountfixup", ("workflowState", Browserish.Hidden(offer, "workflowState")), ("interstitial", "passkey"), ("action", "skip"));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Contains(r.Headers.GetValues("Set-Cookie"), v => v.StartsWith("at-main="));
    }

    [Fact]
    public async Task PasskeyAccountIsAskedForItsPasskeyWithAWayToThePassword()
    {
        await UseSeed(null);
        var email = await NewAccount(new { passkey = true });
        using var c = _f.NewClient();
        var page = await c.Http.GetStringAsync("/ap/signin");
        var r = await c.PostForm("/ap/signin", ("workflowState", Browserish.Hidden(page, "workflowState")), ("email", email));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var prompt = await c.Http.GetStringAsync(r.Headers.Location);
        Assert.Contains("navigator.credentials.get({ publicKey:", prompt);
        Assert.DoesNotContain("id=\"ap_password\"", prompt);
        Assert.DoesNotContain("location.assign", prompt); // never moves on by itself
        var link = Regex.Match(prompt, "<a id=\"auth-passkey-password-link\"[^>]*href=\"([^\"]+)\">Sign in with your password</a>");
        Assert.True(link.Success);
        var password = await c.Http.GetStringAsync(WebUtility.HtmlDecode(link.Groups[1].Value));
        Assert.Contains("id=\"ap_password\"", password);
        r = await c.PostForm("/ap/signin", ("workflowState", Browserish.Hidden(password, "workflowState")), ("password", "pw"));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Contains(r.Headers.GetValues("Set-Cookie"), v => v.StartsWith("at-main="));

        using var admin = _f.Admin();
        Assert.True((await admin.Json(HttpMethod.Get, $"/__replica/accounts/{email}")).GetProperty("passkey").GetBoolean());

        int seed = SeedWith(("passkeyPrompt", "all-accounts"), ("passkeyLink", "other-ways"));
        await UseSeed(seed);
        var plain = await NewAccount();
        page = await c.Http.GetStringAsync("/ap/signin");
        r = await c.PostForm("/ap/signin", ("workflowState", Browserish.Hidden(page, "workflowState")), ("email", plain));
        prompt = await c.Http.GetStringAsync(r.Headers.Location);
        Assert.Matches(">Other ways to sign in</a>", prompt);
    }

    [Fact]
    public async Task ThrottleRateAnswersScriptsAndEveryOtherRequest()
    {
        await UseSeed(null);
        using var admin = _f.Admin();
        using var c = _f.NewClient();
        await admin.Json(HttpMethod.Put, "/__replica/faults", new { throttleRate = new { rate = 1.0, status = 503 } });
        var r = await c.Http.GetAsync("/alexa-privacy/apd/static/common.js");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
        Assert.Contains("Sorry! Something went wrong!", await r.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await c.Http.GetAsync("/ap/signin")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await c.PostForm("/ap/signin", ("email", "x@example.com"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/__replica/faults")).StatusCode); // never the admin API

        await admin.Json(HttpMethod.Put, "/__replica/faults", new { throttleRate = new { rate = 1.0, status = 429 } });
        r = await c.Http.GetAsync("/alexa-privacy/apd/static/site.css");
        Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
        Assert.Contains("Rate exceeded", await r.Content.ReadAsStringAsync());

        await admin.Json(HttpMethod.Put, "/__replica/faults", new { throttleRate = new { rate = 0.5, status = 503 } });
        int throttled = 0;
        for (int i = 0; i < 200; i++)
            if ((await c.Http.GetAsync("/alexa-privacy/apd/static/rvh.js")).StatusCode == HttpStatusCode.ServiceUnavailable) throttled++;
        Assert.InRange(throttled, 50, 150); // about half; 6 standard deviations either side

        await admin.Json(HttpMethod.Put, "/__replica/faults", new { throttleRate = new { rate = 1.5 } }, HttpStatusCode.BadRequest);
        await admin.Json(HttpMethod.Put, "/__replica/faults", new { throttleRate = new { rate = 0.1, status = 500 } }, HttpStatusCode.BadRequest);
        await admin.Json(HttpMethod.Put, "/__replica/faults", new { interstitials = new[] { "survey" } }, HttpStatusCode.BadRequest);
        await admin.Json(HttpMethod.Delete, "/__replica/faults");
        Assert.Equal(HttpStatusCode.OK, (await c.Http.GetAsync("/alexa-privacy/apd/static/common.js")).StatusCode);
    }
}

public class VariantProgramTests
{
    [Fact]
    public async Task CommandLineVariantOptionSelectsTheSeed()
    {
        var dll = typeof(ReplicaServer).Assembly.Location;
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "--port", "0", "--variant", "123" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        try
        {
            var line = await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Matches(@"^Listening on http://127\.0\.0\.1:\d+/$", line);
            using var http = new HttpClient { BaseAddress = new Uri(line!["Listening on ".Length..]) };
            var v = JsonDocument.Parse(await http.GetStringAsync("/__replica/variant")).RootElement;
            Assert.Equal(123, v.GetProperty("seed").GetInt32());
            Assert.Equal(Variant.FromSeed(123)["records"], v.GetProperty("freedoms").GetProperty("records").GetString());
        }
        finally
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
    }
}
