using System.Net;

namespace AlexaPrivacy.Replica.Tests;

public class SignInTests : IClassFixture<ReplicaFixture>
{
    private const string Secret = "JBSW Y3DP EHPK 3PXP KZZZ YYXX WWAB CDEF GHIJ KLMN OPQR STUV W234";
    private readonly ReplicaFixture _f;
    public SignInTests(ReplicaFixture f) => _f = f;

    private async Task<string> NewAccount(string totp = null, object extra = null)
    {
        var email = $"user{Guid.NewGuid():N}@example.com";
        using var admin = _f.Admin();
        await admin.CreateAccount(new { email, password = "correct horse", totpSecret = totp });
        return email;
    }

    [Fact]
    public async Task PrivacyPageWithoutSessionRedirectsToSignInWithReturnTo()
    {
        using var c = _f.NewClient();
        var r = await c.Http.GetAsync("/alexa-privacy/apd/myad?x=1");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var location = r.Headers.Location!.ToString();
        var expected = "/ap/signin?openid.return_to=" + Uri.EscapeDataString(new Uri(_f.BaseUri, "/alexa-privacy/apd/myad?x=1").ToString())
            + "&openid.mode=checkid_setup&openid.assoc_handle=amzn_alexa_privacy_us";
        Assert.Equal(expected, location);
    }

    [Fact]
    public async Task EmailPageHasAmazonsElements()
    {
        using var c = _f.NewClient();
        var html = await c.Http.GetStringAsync("/ap/signin");
        Assert.Contains("<form name=\"signIn\"", html);
        Assert.Contains("id=\"ap_email\"", html);
        Assert.Contains("name=\"email\"", html);
        Assert.Contains("id=\"continue\"", html);
        Assert.DoesNotContain("id=\"ap_password\"", html);
    }

    [Fact]
    public async Task SignInWithTotpSetsCookiesAndReturns()
    {
        var email = await NewAccount(Secret);
        using var c = _f.NewClient();
        var r = await c.SignIn(email.ToUpperInvariant(), "correct horse", Secret, rememberMe: true, returnTo: "/alexa-privacy/apd/myad");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal(new Uri(_f.BaseUri, "/alexa-privacy/apd/myad").ToString(), r.Headers.Location!.ToString());

        var setCookies = r.Headers.GetValues("Set-Cookie").ToList();
        string Cookie(string name) => Assert.Single(setCookies, s => s.StartsWith(name + "="));
        foreach (var name in new[] { "session-id", "session-token", "ubid-main", "x-main" })
        {
            Assert.DoesNotContain("httponly", Cookie(name), StringComparison.OrdinalIgnoreCase);
            Assert.Contains("expires=", Cookie(name), StringComparison.OrdinalIgnoreCase);
        }
        Assert.Contains("httponly", Cookie("at-main"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", Cookie("sess-at-main"), StringComparison.OrdinalIgnoreCase);

        var page = await c.Http.GetAsync("/alexa-privacy/apd/myad");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.NotEmpty(Browserish.Csrf(html));
        Assert.Contains("Manage Your Alexa Data", html);
        Assert.DoesNotContain("role=\"switch\"", html); // settings render in the browser, after the data request

        using var admin = _f.Admin();
        var acc = await admin.Json(HttpMethod.Get, "/__replica/accounts/" + email);
        Assert.Equal(1, acc.GetProperty("signInCount").GetInt32());
        Assert.Equal(1, acc.GetProperty("activeSessions").GetInt32());
    }

    [Fact]
    public async Task WithoutRememberMeCookiesAreSessionCookies()
    {
        var email = await NewAccount();
        using var c = _f.NewClient();
        var r = await c.SignIn(email, "correct horse");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var setCookies = r.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(setCookies, s => s.StartsWith("at-main="));
        Assert.All(setCookies, s => Assert.DoesNotContain("expires=", s, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task UnknownEmailShowsContractText()
    {
        using var c = _f.NewClient();
        var (html, _) = await c.SubmitEmail("nobody@example.com");
        Assert.Contains("There was a problem", html);
        Assert.Equal("We cannot find an account with that email address", Browserish.ErrorText(html));
    }

    [Fact]
    public async Task WrongPasswordShowsContractText()
    {
        var email = await NewAccount();
        using var c = _f.NewClient();
        var r = await c.SignIn(email, "wrong");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Equal("Your password is incorrect", Browserish.ErrorText(html));
        Assert.Contains("id=\"ap_password\"", html);
    }

    [Fact]
    public async Task WrongCodeShowsContractText()
    {
        var email = await NewAccount(Secret);
        using var c = _f.NewClient();
        var (_, flow) = await c.SubmitEmail(email);
        var r = await c.PostForm("/ap/signin", ("workflowState", flow), ("password", "correct horse"));
        var mfa = await c.Http.GetStringAsync(r.Headers.Location);
        var good = TestTotp.Code(Secret, DateTimeOffset.UtcNow);
        var bad = ((int.Parse(good) + 500_000) % 1_000_000).ToString("D6");
        r = await c.PostForm("/ap/mfa", ("workflowState", Browserish.Hidden(mfa, "workflowState")), ("otpCode", bad));
        var html = await r.Content.ReadAsStringAsync();
        Assert.Equal("The code you entered is not valid. Please check the code and try again.", Browserish.ErrorText(html));
        Assert.Contains("id=\"auth-mfa-otpcode\"", html);
        // The previous 30-second step is still accepted.
        r = await c.PostForm("/ap/mfa", ("workflowState", Browserish.Hidden(html, "workflowState")), ("otpCode", TestTotp.Code(Secret.ToLowerInvariant(), DateTimeOffset.UtcNow.AddSeconds(-30))));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccount()
    {
        var email = await NewAccount();
        using var c = _f.NewClient();
        var (_, flow) = await c.SubmitEmail(email);
        HttpResponseMessage r = null;
        for (int i = 0; i < 5; i++) r = await c.PostForm("/ap/signin", ("workflowState", flow), ("password", "nope"));
        Assert.Equal(HttpStatusCode.Redirect, r!.StatusCode);
        Assert.StartsWith("/ap/forgotpassword", r.Headers.Location!.ToString());
        Assert.Contains("Password assistance", await c.Http.GetStringAsync(r.Headers.Location));
        using var admin = _f.Admin();
        Assert.True((await admin.Json(HttpMethod.Get, "/__replica/accounts/" + email)).GetProperty("locked").GetBoolean());
        // Even the right password does not help now.
        var again = await c.SignIn(email, "correct horse");
        Assert.StartsWith("/ap/forgotpassword", again.Headers.Location!.ToString());
    }

    [Fact]
    public async Task ForeignReturnToIsReplacedByTheHub()
    {
        var email = await NewAccount();
        using var c = _f.NewClient();
        var page = await c.Http.GetStringAsync("/ap/signin?openid.return_to=" + Uri.EscapeDataString("https://evil.example/x"));
        var flow = Browserish.Hidden(page, "workflowState");
        await c.PostForm("/ap/signin", ("workflowState", flow), ("email", email));
        var r = await c.PostForm("/ap/signin", ("workflowState", flow), ("password", "correct horse"));
        Assert.EndsWith("/alexa-privacy/apd/home", r.Headers.Location!.ToString());
    }

    [Fact]
    public async Task SignOutEndsTheSession()
    {
        var email = await NewAccount();
        using var c = _f.NewClient();
        await c.SignIn(email, "correct horse");
        Assert.Equal(HttpStatusCode.OK, (await c.Http.GetAsync("/alexa-privacy/apd/home")).StatusCode);
        await c.Http.GetAsync("/gp/flex/sign-out.html");
        Assert.Equal(HttpStatusCode.Redirect, (await c.Http.GetAsync("/alexa-privacy/apd/home")).StatusCode);
    }

    [Fact]
    public async Task CaptchaChallengeNeedsTheCharactersTheAdminApiShows()
    {
        var email = $"cap{Guid.NewGuid():N}@example.com";
        using var admin = _f.Admin();
        await admin.CreateAccount(new { email, password = "p", challenge = "captcha" });
        using var c = _f.NewClient();
        var (_, flow) = await c.SubmitEmail(email);
        var r = await c.PostForm("/ap/signin", ("workflowState", flow), ("password", "p"));
        var html = await r.Content.ReadAsStringAsync();
        Assert.Contains("id=\"auth-captcha-image\"", html);
        Assert.Contains("Enter the characters as they are given in the challenge.", html);
        var text = (await admin.Json(HttpMethod.Get, "/__replica/accounts/" + email)).GetProperty("captchaText").GetString();
        r = await c.PostForm("/ap/signin", ("workflowState", flow), ("guess", text!.ToLowerInvariant()));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.EndsWith("/alexa-privacy/apd/home", r.Headers.Location!.ToString());
    }

    [Fact]
    public async Task ApprovalChallengeMovesOnOnceApproved()
    {
        var email = $"app{Guid.NewGuid():N}@example.com";
        using var admin = _f.Admin();
        await admin.CreateAccount(new { email, password = "p", challenge = "approval" });
        using var c = _f.NewClient();
        var (_, flow) = await c.SubmitEmail(email);
        var r = await c.PostForm("/ap/signin", ("workflowState", flow), ("password", "p"));
        Assert.StartsWith("/ap/cvf/approval", r.Headers.Location!.ToString());
        Assert.Contains("To continue, approve the notification sent to:", await c.Http.GetStringAsync(r.Headers.Location));
        var poll = "/ap/cvf/approval/poll?arb=" + Uri.EscapeDataString(flow);
        Assert.Contains("PENDING", await c.Http.GetStringAsync(poll));
        await admin.Json(HttpMethod.Post, $"/__replica/accounts/{email}/approve");
        var approved = System.Text.Json.JsonDocument.Parse(await c.Http.GetStringAsync(poll)).RootElement;
        Assert.Equal("APPROVED", approved.GetProperty("status").GetString());
        r = await c.Http.GetAsync(approved.GetProperty("redirect").GetString());
        Assert.EndsWith("/alexa-privacy/apd/home", r.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await c.Http.GetAsync("/alexa-privacy/apd/home")).StatusCode);
    }

    [Fact]
    public async Task GermanOnRequestAndRemembered()
    {
        using var c = _f.NewClient();
        var html = await c.Http.GetStringAsync("/ap/signin?language=de_DE");
        Assert.Contains("E-Mail-Adresse oder Mobiltelefonnummer", html);
        html = await c.Http.GetStringAsync("/ap/signin");
        Assert.Contains("lang=\"de-DE\"", html);
        var (err, _) = await c.SubmitEmail("nobody@example.com");
        Assert.Equal("Wir können kein Konto mit dieser E-Mail-Adresse finden", Browserish.ErrorText(err));
    }
}
